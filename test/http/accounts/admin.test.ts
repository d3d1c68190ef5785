import assert from 'node:assert/strict';
import supertest from 'supertest';
import { buildUser } from '../../factories.js';
import { auditedFor, postForm, signIn, startTestApp, type TestApp } from '../../helpers/http.js';

describe('admin pages for users (HTTP)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  const admin = async () => {
    const a = await buildUser(t.ctx.db, { roles: ['admin'] });
    return { user: a, agent: await signIn(t.app, a.email, a.password) };
  };

  it('refuses the admin pages to a learner (403) and to a visitor (sign-in)', async () => {
    const learner = await buildUser(t.ctx.db);
    const agent = await signIn(t.app, learner.email, learner.password);
    for (const path of [
      '/admin',
      '/admin/users',
      '/admin/outbox',
      '/admin/audit',
      `/admin/users/${learner.id}`,
    ]) {
      assert.equal((await agent.get(path)).status, 403, path);
    }
    const res = await postForm(agent, '/', `/admin/users/${learner.id}/roles`, { roles: ['admin'] });
    assert.equal(res.status, 403);
    const visitor = await supertest(t.app).get('/admin/users');
    assert.equal(visitor.status, 303);
    assert.equal(visitor.headers.location, '/signin?next=%2Fadmin%2Fusers');
  });

  it('lists and searches users', async () => {
    const { agent } = await admin();
    const u = await buildUser(t.ctx.db, { name: 'Zuzana Searchable' });
    const res = await agent.get('/admin/users?q=searchable');
    assert.equal(res.status, 200);
    assert.match(res.text, /Zuzana Searchable/);
    assert.match(res.text, new RegExp(u.email));
    const none = await agent.get('/admin/users?q=%25%25nobody%25%25');
    assert.doesNotMatch(none.text, /Zuzana/);
  });

  it('invites a user who sets a password through the mailed link', async () => {
    const { agent } = await admin();
    const email = `invitee-${Date.now()}@example.org`;
    const res = await postForm(agent, '/admin/users/invite', '/admin/users/invite', {
      name: 'Ines Invited',
      email,
      roles: ['learner', 'trainer'],
    });
    assert.equal(res.status, 303);
    const mail = await t.ctx.db('mail_outbox').where({ to_address: email }).first();
    const link = /http:\/\/localhost:3000(\/invitations\/[A-Za-z0-9_-]+)/.exec(mail.body)![1]!;
    const visitor = supertest.agent(t.app);
    const form = await visitor.get(link);
    assert.match(form.text, /Ines Invited/);
    assert.equal((await postForm(visitor, link, link, { password: 'my own password' })).status, 303);
    await signIn(t.app, email, 'my own password');
    const user = await t.ctx.db('users').where({ email }).first();
    assert.equal(user.status, 'active');
    const roles = (await t.ctx.db('user_roles').where({ user_id: user.id }).orderBy('role')).map(
      (r) => r.role,
    );
    assert.deepEqual(roles, ['learner', 'trainer']);
  });

  it('refuses an invitation with a bad email, naming the problem', async () => {
    const { agent } = await admin();
    const res = await postForm(agent, '/admin/users/invite', '/admin/users/invite', {
      name: 'X',
      email: 'not-an-email',
    });
    assert.equal(res.status, 422);
    assert.match(res.text, /Enter a valid email address/);
  });

  it('changes roles, audited', async () => {
    const { user: a, agent } = await admin();
    const u = await buildUser(t.ctx.db);
    const res = await postForm(agent, `/admin/users/${u.id}`, `/admin/users/${u.id}/roles`, {
      roles: ['learner', 'coordinator'],
    });
    assert.equal(res.status, 303);
    const roles = (await t.ctx.db('user_roles').where({ user_id: u.id }).orderBy('role')).map((r) => r.role);
    assert.deepEqual(roles, ['coordinator', 'learner']);
    const entry = await t.ctx
      .db('audit_events')
      .where({ event: 'user.roles_changed', subject_user_id: u.id })
      .first();
    assert.equal(entry.actor_id, a.id);
  });

  it('an admin cannot remove their own admin role', async () => {
    const { user: a, agent } = await admin();
    const res = await postForm(agent, `/admin/users/${a.id}`, `/admin/users/${a.id}/roles`, {
      roles: ['learner'],
    });
    assert.equal(res.status, 403);
    assert.match(res.text, /cannot remove your own admin role/);
  });

  it('disabling a user ends their sessions and stops sign-in; enabling lets them back', async () => {
    const { agent } = await admin();
    const u = await buildUser(t.ctx.db);
    const theirs = await signIn(t.app, u.email, u.password);
    assert.equal((await theirs.get('/account')).status, 200);
    const res = await postForm(agent, `/admin/users/${u.id}`, `/admin/users/${u.id}/disable`, {});
    assert.equal(res.status, 303);
    assert.equal((await theirs.get('/account')).status, 303, 'their session ended');
    await assert.rejects(signIn(t.app, u.email, u.password), /failed with 401/);
    assert.ok(
      await t.ctx.db('audit_events').where({ event: 'user.disabled', subject_user_id: u.id }).first(),
    );
    await postForm(agent, `/admin/users/${u.id}`, `/admin/users/${u.id}/enable`, {});
    await signIn(t.app, u.email, u.password);
  });

  it('answers 404 for an unknown or malformed user id', async () => {
    const { agent } = await admin();
    assert.equal((await agent.get('/admin/users/00000000-0000-4000-8000-000000000000')).status, 404);
    assert.equal((await agent.get('/admin/users/not-a-uuid')).status, 404);
  });

  it('an admin cannot disable themselves', async () => {
    const { user: a, agent } = await admin();
    const res = await postForm(agent, `/admin/users/${a.id}`, `/admin/users/${a.id}/disable`, {});
    assert.equal(res.status, 403);
    assert.match(res.text, /You cannot disable your own account/);
    assert.equal((await t.ctx.db('users').where({ id: a.id }).first()).status, 'active');
    assert.equal((await agent.get('/account')).status, 200, 'still signed in');
  });

  it('shows the outbox and the audit log, filtered by event', async () => {
    const { user: a, agent } = await admin();
    const forgetful = await buildUser(t.ctx.db);
    await postForm(supertest.agent(t.app), '/password/forgot', '/password/forgot', {
      email: forgetful.email,
    });
    await auditedFor(t.ctx.db, 'password.reset_requested', forgetful.email);
    assert.match((await agent.get('/admin/outbox')).text, /Reset your WorkCoopHub password/);
    const audit = (await agent.get('/admin/audit?event=signin.success')).text;
    // A row of the table (the filter box shows the event name too): the event, then who signed in.
    const email = a.email.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const cell = (html: string) => String.raw`<td>\s*${html}\s*</td>\s*`;
    assert.match(
      audit,
      new RegExp(cell(String.raw`Signed in<br><code>signin\.success</code>`) + cell(email) + cell(email)),
    );
    assert.doesNotMatch(audit, new RegExp(cell(String.raw`[^<]*<br><code>user\.created</code>`)));
  });
});
