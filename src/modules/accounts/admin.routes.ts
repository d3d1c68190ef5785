import { Router, type RequestHandler } from 'express';
import type { AppContext } from '../../platform/context.js';
import { listAuditEvents } from '../../platform/audit.js';
import { Forbidden, NotFound } from '../../platform/errors.js';
import { parseForm, withFormErrors } from '../../platform/http/forms.js';
import { clientIp, requireUser } from '../../platform/http/guards.js';
import { flash } from '../../platform/http/locals.js';
import { ROLES } from '../../platform/http/types.js';
import { listOutbox, OUTBOX_PAGE } from '../../platform/mail.js';
import * as repo from './accounts.repo.js';
import * as schemas from './accounts.schemas.js';
import { setDisabled, setRoles } from './accounts.service.js';
import { inviteUser } from './mail-links.js';
import { mayManageUsers } from './accounts.policy.js';

const PAGE_SIZE = 25;

// The policy answers who may; visitors are sent to sign in first.
const allowManagers: RequestHandler = (req, res, next) => {
  if (!req.user) return requireUser(req, res, next);
  if (!mayManageUsers(req.user)) throw new Forbidden();
  next();
};

export function adminRoutes(ctx: AppContext): Router {
  const r = Router();
  const { db } = ctx;
  r.use('/admin', allowManagers);

  r.get('/admin', (req, res) => res.render('admin/index', { title: req.t('admin:title') }));

  r.get('/admin/users', async (req, res) => {
    const q = schemas.UserListQuery.parse(req.query);
    const { users, total } = await repo.listUsers(db, {
      search: q.q,
      role: q.role,
      limit: PAGE_SIZE,
      offset: (q.page - 1) * PAGE_SIZE,
    });
    res.render('admin/users', {
      title: req.t('admin:users.title'),
      users,
      total,
      query: q,
      roles: ROLES,
      pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
    });
  });

  r.get('/admin/users/invite', (req, res) => {
    res.render('admin/invite', {
      title: req.t('admin:invite.title'),
      roles: ROLES,
      values: { roles: ['learner'] },
    });
  });

  r.post('/admin/users/invite', async (req, res) => {
    const view = { title: req.t('admin:invite.title'), roles: ROLES, values: req.body as object };
    await withFormErrors(res, 'admin/invite', view, async () => {
      const form = parseForm(schemas.InviteForm, req.body);
      const user = await inviteUser(ctx, req.user!, form, req.lang, clientIp(req));
      flash(req, 'success', 'admin:invite.sent', { email: user.email });
      res.redirect(303, `/admin/users/${user.id}`);
    });
  });

  r.get('/admin/users/:id', async (req, res) => {
    const user = await findUser(req.params.id);
    res.render('admin/user', { title: user.name, subject: user, roles: ROLES });
  });

  r.post('/admin/users/:id/roles', async (req, res) => {
    const user = await findUser(req.params.id);
    const form = parseForm(schemas.RolesForm, req.body);
    await setRoles(db, req.user!, user.id, form.roles, clientIp(req));
    flash(req, 'success', 'admin:user.rolesSaved');
    res.redirect(303, `/admin/users/${user.id}`);
  });

  r.post('/admin/users/:id/disable', async (req, res) => {
    const user = await findUser(req.params.id);
    await setDisabled(db, req.user!, user.id, true, clientIp(req));
    flash(req, 'success', 'admin:user.disabled');
    res.redirect(303, `/admin/users/${user.id}`);
  });

  r.post('/admin/users/:id/enable', async (req, res) => {
    const user = await findUser(req.params.id);
    await setDisabled(db, req.user!, user.id, false, clientIp(req));
    flash(req, 'success', 'admin:user.enabled');
    res.redirect(303, `/admin/users/${user.id}`);
  });

  r.get('/admin/outbox', async (req, res) => {
    const after =
      typeof req.query.after === 'string' && isUuid(req.query.after) ? req.query.after : undefined;
    const rows = await listOutbox(db, after);
    res.render('admin/outbox', {
      title: req.t('admin:outbox.title'),
      mails: rows.slice(0, OUTBOX_PAGE),
      older: rows.length > OUTBOX_PAGE ? rows[OUTBOX_PAGE - 1]!.id : null,
      smtp: Boolean(ctx.config.smtpUrl),
    });
  });

  r.get('/admin/audit', async (req, res) => {
    const event =
      typeof req.query.event === 'string' && req.query.event ? req.query.event.slice(0, 64) : undefined;
    res.render('admin/audit', {
      title: req.t('admin:audit.title'),
      events: await listAuditEvents(db, { limit: 200, event }),
      event,
    });
  });

  async function findUser(id: string) {
    if (!isUuid(id)) throw new NotFound('user');
    const user = await repo.findUserById(db, id);
    if (!user) throw new NotFound('user');
    return user;
  }

  return r;
}

export const isUuid = (s: string) =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
