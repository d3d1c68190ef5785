import { Router } from 'express';
import type { AppContext } from '../../platform/context.js';
import { NotFound } from '../../platform/errors.js';
import { parseForm, withFormErrors } from '../../platform/http/forms.js';
import { clientIp, requireRole } from '../../platform/http/guards.js';
import { flash } from '../../platform/http/locals.js';
import { listClients } from './clients.repo.js';
import { NewClientForm } from './clients.schemas.js';
import { createLrsClient, disableLrsClient } from './clients.service.js';
import { UUID } from './documents.schemas.js';
import { SCOPES } from './lrs.types.js';

/** Admin pages at /admin/lrs: the LRS clients, a new one (its secret shown once), disabling one. */
export function lrsAdminRoutes(ctx: AppContext): Router {
  const r = Router();
  const { db, config } = ctx;
  const endpoint = `${config.publicUrl}/xapi`;
  r.use('/admin/lrs', requireRole('admin'));

  r.get('/admin/lrs', async (req, res) => {
    res.render('admin/lrs', { title: req.t('lrs:admin.title'), clients: await listClients(db), endpoint });
  });

  const newView = (t: (k: string) => string, values: object) => ({
    title: t('lrs:admin.new.title'),
    scopes: SCOPES,
    values,
  });

  r.get('/admin/lrs/new', (req, res) => {
    res.render('admin/lrs-new', newView(req.t, { scopes: ['statements/write', 'statements/read/mine'] }));
  });

  r.post('/admin/lrs', async (req, res) => {
    await withFormErrors(res, 'admin/lrs-new', newView(req.t, req.body as object), async () => {
      const form = parseForm(NewClientForm, req.body);
      const created = await createLrsClient(db, form, {
        publicUrl: config.publicUrl,
        actorId: req.user!.id,
        ip: clientIp(req),
      });
      // The secret is shown on this page only: never cached, never in a redirect.
      res.setHeader('Cache-Control', 'no-store');
      res.status(201).render('admin/lrs-created', {
        title: req.t('lrs:admin.created.title'),
        client: created.client,
        key: created.key,
        secret: created.secret,
        endpoint,
      });
    });
  });

  r.post('/admin/lrs/:id/disable', async (req, res) => {
    if (!UUID.test(req.params.id)) throw new NotFound('lrs client');
    const client = await disableLrsClient(db, req.params.id, { actorId: req.user!.id, ip: clientIp(req) });
    flash(req, 'success', 'lrs:admin.disabled', { name: client.name });
    res.redirect(303, '/admin/lrs');
  });

  return r;
}
