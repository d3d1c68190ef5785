import { Router } from 'express';
import type { AppContext } from '../../platform/context.js';
export function reportsRoutes(_ctx: AppContext): Router {
  return Router();
}
