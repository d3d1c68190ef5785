import { Router } from 'express';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';

const notYet = () => {
  const r = Router();
  r.all('/', () => {
    throw new AppError(501, 'lrs:errors.notImplemented');
  });
  return r;
};

export const stateRoutes = (_ctx: AppContext): Router => notYet();
export const activityProfileRoutes = (_ctx: AppContext): Router => notYet();
export const agentProfileRoutes = (_ctx: AppContext): Router => notYet();
