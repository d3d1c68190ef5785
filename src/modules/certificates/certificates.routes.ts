import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { NotFound } from '../../platform/errors.js';
import { parseForm, withFormErrors } from '../../platform/http/forms.js';
import { clientIp, requireUser } from '../../platform/http/guards.js';
import { flash } from '../../platform/http/locals.js';
import { isLanguage } from '../../platform/i18n.js';
import { isUuid } from '../accounts/index.js';
import * as repo from './certificates.repo.js';
import { mayDownload, mayManageCertificates } from './certificates.policy.js';
import { groupedCode } from './code.js';
import { verifyUrl } from './credential.js';
import { reissueCertificate, revokeCertificate } from './issue.service.js';
import { writeCertificatePdf } from './pdf.js';

const RevokeForm = z.object({
  reason: z
    .string()
    .trim()
    .min(3, 'certificates:manage.reasonRequired')
    .max(500, 'certificates:manage.reasonTooLong'),
});
const ManageQuery = z.object({
  q: z.string().trim().max(200).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});
const PAGE = 50;

/** My certificates, downloads (PDF, Open Badges credential) and the coordinators' list, revoke and re-issue. */
export function certificatesRoutes(ctx: AppContext): Router {
  const r = Router();
  const { db, config } = ctx;
  r.use('/certificates', (req, res, next) =>
    req.path.startsWith('/issuer') ? next() : requireUser(req, res, next),
  );

  async function visible(viewer: Express.User, id: string) {
    const cert = isUuid(id) ? await repo.findById(db, id) : undefined;
    if (!cert || !mayDownload(viewer, cert)) throw new NotFound('certificate');
    return cert;
  }

  r.get('/certificates', async (req, res) => {
    res.render('certificates/mine', {
      title: req.t('certificates:mine.title'),
      certificates: await repo.listOfUser(db, req.user!.id),
      groupedCode,
      mayManage: mayManageCertificates(req.user),
    });
  });

  r.get('/certificates/manage', async (req, res) => {
    if (!mayManageCertificates(req.user)) throw new NotFound('page');
    const f = ManageQuery.parse(req.query);
    const { rows, total } = await repo.listAll(db, { q: f.q, limit: PAGE, offset: (f.page - 1) * PAGE });
    res.render('certificates/manage', {
      title: req.t('certificates:manage.title'),
      rows,
      total,
      page: f.page,
      pages: Math.max(1, Math.ceil(total / PAGE)),
      q: f.q ?? '',
      groupedCode,
    });
  });

  r.get('/certificates/:id/certificate.pdf', async (req, res) => {
    const cert = await visible(req.user!, req.params.id);
    const lang = isLanguage(cert.language) ? cert.language : 'en';
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `attachment; filename="certificate-${cert.code.slice(0, 8)}.pdf"`);
    await writeCertificatePdf(res, {
      certificate: cert,
      verifyUrl: verifyUrl(config.publicUrl, cert.code),
      t: ctx.i18n.getFixedT(lang),
      lang,
    });
  });

  r.get('/certificates/:id/credential.jwt', async (req, res) => {
    const cert = await visible(req.user!, req.params.id);
    res.setHeader('Content-Type', 'application/jwt');
    res.setHeader('Content-Disposition', `attachment; filename="open-badge-${cert.code.slice(0, 8)}.jwt"`);
    res.send(cert.credential);
  });

  const revokeLocals = (req: Express.Request, cert: repo.CertificateRow, values: object) => ({
    title: req.t('certificates:manage.revokeTitle'),
    cert,
    values,
    groupedCode,
  });

  r.get('/certificates/:id/revoke', async (req, res) => {
    if (!mayManageCertificates(req.user)) throw new NotFound('certificate');
    const cert = await visible(req.user!, req.params.id);
    res.render('certificates/revoke', revokeLocals(req, cert, {}));
  });

  r.post('/certificates/:id/revoke', async (req, res) => {
    if (!mayManageCertificates(req.user)) throw new NotFound('certificate');
    const cert = await visible(req.user!, req.params.id);
    await withFormErrors(
      res,
      'certificates/revoke',
      revokeLocals(req, cert, req.body as object),
      async () => {
        const { reason } = parseForm(RevokeForm, req.body);
        await revokeCertificate(db, req.user!, cert.id, reason, clientIp(req));
        flash(req, 'success', 'certificates:manage.revoked', { code: groupedCode(cert.code) });
        res.redirect(303, `/certificates/manage?q=${cert.code}`);
      },
    );
  });

  r.post('/certificates/:id/reissue', async (req, res) => {
    if (!mayManageCertificates(req.user)) throw new NotFound('certificate');
    const cert = await visible(req.user!, req.params.id);
    const fresh = await reissueCertificate(
      db,
      { publicUrl: config.publicUrl, i18n: ctx.i18n },
      req.user!,
      cert.id,
      clientIp(req),
    );
    flash(req, 'success', 'certificates:manage.reissued', { code: groupedCode(fresh.code) });
    res.redirect(303, `/certificates/manage?q=${fresh.code}`);
  });

  return r;
}
