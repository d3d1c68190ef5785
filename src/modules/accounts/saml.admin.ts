import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { audit } from '../../platform/audit.js';
import { SamlGroupMap } from '../../platform/config.js';
import { clientIp, requireRole } from '../../platform/http/guards.js';
import { flash } from '../../platform/http/locals.js';
import { forgetSamlSetup, samlState, spSetup } from './saml.config.js';
import { parseIdpMetadata } from './saml.metadata.js';
import { updateSettings } from './saml.repo.js';
import { SamlRefused } from './saml.xml.js';

const IdpForm = z.object({
  metadata: z.string().max(256 * 1024),
  name: z.string().trim().max(80).optional(),
});
const GroupMapForm = z.object({ groupMap: z.string().max(64 * 1024) });

/** /admin/saml: the SAML status, the IdP's metadata pasted by an admin, and the group → role table. */
export function samlAdminRoutes(ctx: AppContext): Router {
  const r = Router();
  const { db, config } = ctx;
  r.use('/admin/saml', requireRole('admin'));

  async function render(req: Request, res: Response, status = 200, extra: Record<string, unknown> = {}) {
    const state = await samlState(ctx);
    const sp = await spSetup(ctx);
    const now = Date.now();
    res.status(status).render('admin/saml', {
      title: req.t('saml:admin.title'),
      state,
      sp,
      now,
      metadataFile: config.saml.idpMetadataFile,
      groupMap: state.setup?.groupMap ?? config.saml.groupMap ?? state.settings?.group_map ?? {},
      groupMapText: JSON.stringify(state.settings?.group_map ?? {}, null, 2),
      localSignIn: config.localSignIn,
      breakGlassEmails: config.breakGlassEmails,
      values: { name: state.settings?.idp_name ?? '', metadata: '' },
      errors: {},
      ...extra,
    });
  }

  r.get('/admin/saml', (req, res) => render(req, res));

  r.post('/admin/saml/idp', async (req, res) => {
    const form = IdpForm.parse(req.body);
    const metadata = form.metadata.trim();
    const name = form.name || null;
    if (metadata) {
      try {
        parseIdpMetadata(metadata);
      } catch (err) {
        if (!(err instanceof SamlRefused)) throw err;
        return render(req, res, 422, {
          values: { name: form.name ?? '', metadata },
          errors: { metadata: err.reason },
        });
      }
    }
    await updateSettings(db, {
      ...(metadata ? { idp_metadata: metadata } : {}),
      idp_name: name,
      updated_by: req.user!.id,
    });
    forgetSamlSetup(db);
    await audit(db, {
      event: 'saml.settings_changed',
      actorId: req.user!.id,
      ip: clientIp(req),
      details: { idpMetadata: metadata ? 'replaced' : 'kept', idpName: name },
    });
    flash(req, 'success', 'saml:admin.saved');
    res.redirect(303, '/admin/saml');
  });

  r.post('/admin/saml/idp/remove', async (req, res) => {
    await updateSettings(db, { idp_metadata: null, updated_by: req.user!.id });
    forgetSamlSetup(db);
    await audit(db, {
      event: 'saml.settings_changed',
      actorId: req.user!.id,
      ip: clientIp(req),
      details: { idpMetadata: 'removed' },
    });
    flash(req, 'success', 'saml:admin.removed');
    res.redirect(303, '/admin/saml');
  });

  r.post('/admin/saml/groups', async (req, res) => {
    const text = GroupMapForm.parse(req.body).groupMap.trim();
    let map: SamlGroupMap | null = null;
    if (text) {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        return render(req, res, 422, {
          groupMapText: text,
          errors: { groupMap: 'saml:admin.groupMapNotJson' },
        });
      }
      const parsed = SamlGroupMap.safeParse(value);
      if (!parsed.success)
        return render(req, res, 422, {
          groupMapText: text,
          errors: { groupMap: 'saml:admin.groupMapInvalid' },
        });
      map = parsed.data;
    }
    await updateSettings(db, { group_map: map, updated_by: req.user!.id });
    forgetSamlSetup(db);
    await audit(db, {
      event: 'saml.settings_changed',
      actorId: req.user!.id,
      ip: clientIp(req),
      details: { groupMap: map },
    });
    flash(req, 'success', 'saml:admin.groupMapSaved');
    res.redirect(303, '/admin/saml');
  });

  return r;
}
