// Placeholder by the frame (credentials/documents engineer): this file is the statements engineer's to replace.
// Mounted at /xapi/statements after CORS, the 1.0.3 alternate syntax (already rewritten into a normal
// request here), the version check (res.locals.xapiVersion) and authentication (res.locals.lrsAuth).
// The body arrives unparsed: parse JSON / multipart/mixed yourself.
import { Router } from 'express';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';

export function statementsRoutes(_ctx: AppContext): Router {
  const r = Router();
  r.all('/', () => {
    throw new AppError(501, 'lrs:errors.notImplemented');
  });
  return r;
}
