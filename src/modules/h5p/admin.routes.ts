import { Router } from 'express';
import { z } from 'zod';
import { audit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { NotFound } from '../../platform/errors.js';
import { clientIp, requireRole } from '../../platform/http/guards.js';
import { flash } from '../../platform/http/locals.js';
import { findUserById, isUuid } from '../accounts/index.js';
import * as repo from './libraries.repo.js';

const InstallerForm = z.object({ may_install: z.literal('yes').optional() });

/**
 * The "may install H5P libraries" permission on the admin's user page (views/admin/user.ejs includes
 * h5p/_admin-user when `h5pInstaller` is set), and the list of installed libraries. Mount before the
 * accounts admin routes so the user page has the permission in its locals.
 */
export function h5pAdminRoutes(ctx: AppContext): Router {
  const { db } = ctx;
  const r = Router();

  r.use(['/admin/users/:id', '/admin/h5p'], requireRole('admin'));
  r.get('/admin/users/:id', async (req, res, next) => {
    if (isUuid(req.params.id)) res.locals.h5pInstaller = { may: await repo.isInstaller(db, req.params.id) };
    next();
  });

  r.post('/admin/users/:id/h5p-libraries', async (req, res) => {
    const user = isUuid(req.params.id) ? await findUserById(db, req.params.id) : undefined;
    if (!user) throw new NotFound('user');
    const may = InstallerForm.parse(req.body).may_install === 'yes';
    await repo.setInstaller(db, user.id, req.user!.id, may);
    await audit(db, {
      event: may ? 'h5p.installer_granted' : 'h5p.installer_revoked',
      actorId: req.user!.id,
      subjectUserId: user.id,
      ip: clientIp(req),
    });
    flash(req, 'success', may ? 'h5p:admin.granted' : 'h5p:admin.revoked', { name: user.name });
    res.redirect(303, `/admin/users/${user.id}`);
  });

  r.get('/admin/h5p/libraries', async (req, res) => {
    res.render('h5p/libraries', {
      title: req.t('h5p:libraries.title'),
      libraries: await repo.listLibraries(db),
    });
  });
  return r;
}
