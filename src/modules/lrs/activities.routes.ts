import { Router } from 'express';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';

export function activitiesRoutes(_ctx: AppContext): Router {
  const r = Router();
  r.get('/', () => {
    throw new AppError(501, 'lrs:errors.notImplemented');
  });
  return r;
}
