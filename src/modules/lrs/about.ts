import { MethodNotAllowed } from './http.js';
import { Router } from 'express';
import { SUPPORTED_VERSIONS } from './version.js';

/** GET /xapi/about: the versions we speak; no credentials, any version header (Communication §2.8). */
export function aboutRoutes(): Router {
  const r = Router();
  r.get('/', (_req, res) => {
    res.json({ version: SUPPORTED_VERSIONS });
  });
  r.all('/', (req) => {
    throw new MethodNotAllowed(req.method, 'GET, HEAD');
  });
  return r;
}
