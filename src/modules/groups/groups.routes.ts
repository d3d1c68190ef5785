import { Router } from 'express';
import type { AppContext } from '../../platform/context.js';
import { parseForm, withFormErrors } from '../../platform/http/forms.js';
import { requireRole } from '../../platform/http/guards.js';
import { flash } from '../../platform/http/locals.js';
import * as repo from './groups.repo.js';
import { GROUP_KINDS, GroupForm, GroupListQuery, MemberForm } from './groups.schemas.js';
import * as groups from './groups.service.js';

/** /groups: working groups and cohorts, for coordinators and admins. */
export function groupsRoutes(ctx: AppContext): Router {
  const r = Router();
  const { db } = ctx;
  r.use('/groups', requireRole('coordinator', 'admin'));

  r.get('/groups', async (req, res) => {
    const query = GroupListQuery.parse(req.query);
    res.render('groups/index', {
      title: req.t('groups:list.title'),
      groups: await repo.listGroups(db, query),
      query,
      kinds: GROUP_KINDS,
    });
  });

  r.get('/groups/new', (req, res) => {
    res.render('groups/form', {
      title: req.t('groups:new.title'),
      action: '/groups',
      kinds: GROUP_KINDS,
      values: { kind: 'cohort' },
    });
  });

  r.post('/groups', async (req, res) => {
    const view = {
      title: req.t('groups:new.title'),
      action: '/groups',
      kinds: GROUP_KINDS,
      values: req.body,
    };
    await withFormErrors(res, 'groups/form', view, async () => {
      const group = await groups.createGroup(db, req.user!, parseForm(GroupForm, req.body));
      flash(req, 'success', 'groups:new.created', { name: group.name });
      res.redirect(303, `/groups/${group.id}`);
    });
  });

  r.get('/groups/:id', async (req, res) => {
    const group = await groups.groupForManager(db, req.user!, req.params.id);
    res.render('groups/show', await showLocals(group, {}));
  });

  r.get('/groups/:id/edit', async (req, res) => {
    const group = await groups.groupForManager(db, req.user!, req.params.id);
    res.render('groups/form', {
      title: req.t('groups:edit.title', { name: group.name }),
      action: `/groups/${group.id}/edit`,
      kinds: GROUP_KINDS,
      values: group,
      group,
    });
  });

  r.post('/groups/:id/edit', async (req, res) => {
    const group = await groups.groupForManager(db, req.user!, req.params.id);
    const view = {
      title: req.t('groups:edit.title', { name: group.name }),
      action: `/groups/${group.id}/edit`,
      kinds: GROUP_KINDS,
      values: req.body,
      group,
    };
    await withFormErrors(res, 'groups/form', view, async () => {
      await groups.updateGroup(db, req.user!, group.id, parseForm(GroupForm, req.body));
      flash(req, 'success', 'groups:edit.saved');
      res.redirect(303, `/groups/${group.id}`);
    });
  });

  r.get('/groups/:id/delete', async (req, res) => {
    const group = await groups.groupForManager(db, req.user!, req.params.id);
    res.render('courses/confirm', {
      title: req.t('groups:delete.title', { name: group.name }),
      message: req.t('groups:delete.message', { count: (await repo.listMembers(db, group.id)).length }),
      action: `/groups/${group.id}/delete`,
      submitLabel: req.t('groups:delete.submit'),
      backHref: `/groups/${group.id}`,
    });
  });

  r.post('/groups/:id/delete', async (req, res) => {
    const group = await groups.deleteGroup(db, req.user!, req.params.id);
    flash(req, 'success', 'groups:delete.done', { name: group.name });
    res.redirect(303, '/groups');
  });

  r.post('/groups/:id/members', async (req, res) => {
    const group = await groups.groupForManager(db, req.user!, req.params.id);
    const locals = await showLocals(group, { values: req.body });
    await withFormErrors(res, 'groups/show', locals, async () => {
      const { email } = parseForm(MemberForm, req.body);
      const { added, name } = await groups.addMemberByEmail(db, req.user!, group.id, email);
      flash(req, 'success', added ? 'groups:members.added' : 'groups:members.already', { name });
      res.redirect(303, `/groups/${group.id}#members`);
    });
  });

  r.post('/groups/:id/members/:userId/remove', async (req, res) => {
    await groups.removeMember(db, req.user!, req.params.id, req.params.userId);
    flash(req, 'success', 'groups:members.removed');
    res.redirect(303, `/groups/${req.params.id}#members`);
  });

  async function showLocals(group: repo.GroupWithManager, extra: object) {
    return { title: group.name, group, members: await repo.listMembers(db, group.id), values: {}, ...extra };
  }

  return r;
}
