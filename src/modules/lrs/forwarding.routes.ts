import { Router } from 'express';
import type { AppContext } from '../../platform/context.js';
import { requireRole } from '../../platform/http/guards.js';
import { forwardingStatus } from './forwarding.js';

/** Admin page /admin/lrs/forwarding: is forwarding on, its backlog and its last error. */
export function lrsForwardingRoutes(ctx: AppContext): Router {
  const r = Router();
  r.get('/admin/lrs/forwarding', requireRole('admin'), async (req, res) => {
    res.render('admin/lrs-forwarding', {
      title: req.t('lrs-statements:forwarding.title'),
      status: await forwardingStatus(ctx.db, ctx.config.lrsForward),
    });
  });
  return r;
}
