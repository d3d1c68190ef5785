import { Router } from 'express';
import type { AppContext } from './platform/context.js';
import { homeSummary } from './modules/courses/index.js';

/** The home page: a welcome for visitors, and a panel for each role a signed-in user holds. */
export function homeRoutes(ctx: AppContext): Router {
  const r = Router();
  r.get('/', async (req, res) => {
    const summary = req.user ? await homeSummary(ctx.db, req.user) : null;
    res.render('home', { title: req.t('home.title'), summary });
  });
  return r;
}
