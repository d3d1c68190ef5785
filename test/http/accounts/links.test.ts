import assert from 'node:assert/strict';
import supertest from 'supertest';
import { buildUser } from '../../factories.js';
import { auditedFor, postForm, signIn, startTestApp, type Agent, type TestApp } from '../../helpers/http.js';

// Invitation and reset links: who they work for, how long, how often, and how they are kept.
describe('mailed links (HTTP)', () => {
  let t: TestApp;
  let admin: Agent;
  before(async function () {
    this.timeout(60_000); // the first database of a run is migrated
    t = await startTestApp();
    const a = await buildUser(t.ctx.db, { roles: ['admin'] });
    admin = await signIn(t.app, a.email, a.password);
  });
  after(() => t.close());

  const lastLinkTo = async (email: string, path: string) => {
    const mail = await t.ctx
      .db('mail_outbox')
      .where({ to_address: email })
      .orderBy('created_at', 'desc')
      .first();
    const m = new RegExp(`http://localhost:3000(${path}/[A-Za-z0-9_-]+)`).exec(String(mail?.body));
    assert.ok(m, `a ${path} link in the mail to ${email}`);
    return m[1]!;
  };
  const userByEmail = (email: string) => t.ctx.db('users').where({ email }).first();

  const invite = async () => {
    const email = `invitee-${Math.random().toString(36).slice(2)}@example.org`;
    const res = await postForm(admin, '/admin/users/invite', '/admin/users/invite', { name: 'Ines', email });
    assert.equal(res.status, 303);
    return { email, link: await lastLinkTo(email, '/invitations'), user: await userByEmail(email) };
  };
  const requestReset = async (email: string) => {
    await postForm(supertest.agent(t.app), '/password/forgot', '/password/forgot', { email });
    await auditedFor(t.ctx.db, 'password.reset_requested', email);
    return lastLinkTo(email, '/password/reset');
  };
  const disable = (id: string) => postForm(admin, `/admin/users/${id}`, `/admin/users/${id}/disable`, {});
  const enable = (id: string) => postForm(admin, `/admin/users/${id}`, `/admin/users/${id}/enable`, {});

  it('refuses the invitation link of an invited user who was disabled, and keeps them disabled', async () => {
    const { email, link, user } = await invite();
    assert.equal((await disable(user.id)).status, 303);
    const visitor = supertest.agent(t.app);
    const page = await visitor.get(link);
    assert.equal(page.status, 404);
    assert.match(page.text, /This invitation link is not valid any more/);
    const posted = await postForm(visitor, '/signin', link, { password: 'invitee password' });
    assert.equal(posted.status, 404);
    assert.match(posted.text, /This invitation link is not valid any more/);
    assert.equal((await userByEmail(email)).status, 'disabled');
    await assert.rejects(signIn(t.app, email, 'invitee password'), /failed with 401/);
  });

  it('deletes the unused links of a user who is disabled', async () => {
    const { user } = await invite();
    assert.equal((await t.ctx.db('one_time_tokens').where({ user_id: user.id })).length, 1);
    await disable(user.id);
    assert.equal((await t.ctx.db('one_time_tokens').where({ user_id: user.id })).length, 0);
  });

  it('refuses a reset link sent before the user was disabled, even once enabled again', async () => {
    const user = await buildUser(t.ctx.db);
    const link = await requestReset(user.email);
    await disable(user.id);
    const visitor = supertest.agent(t.app);
    const page = await visitor.get(link);
    assert.equal(page.status, 404);
    assert.match(page.text, /This link is not valid any more/);
    assert.equal(
      (await postForm(visitor, '/signin', link, { password: 'chosen while disabled' })).status,
      404,
    );
    await enable(user.id);
    assert.equal((await visitor.get(link)).status, 404);
    await assert.rejects(signIn(t.app, user.email, 'chosen while disabled'), /failed with 401/);
    await signIn(t.app, user.email, user.password);
  });

  it('accepts an invitation once, audited with the invitee as actor', async () => {
    const { email, link, user } = await invite();
    const visitor = supertest.agent(t.app);
    assert.equal((await postForm(visitor, link, link, { password: 'first password x' })).status, 303);
    const audited = await t.ctx
      .db('audit_events')
      .where({ event: 'user.activated', subject_user_id: user.id });
    assert.equal(audited.length, 1);
    assert.equal(audited[0].actor_id, user.id);
    assert.equal((await visitor.get(link)).status, 404, 'the link works once');
    const again = await postForm(visitor, '/signin', link, { password: 'second password x' });
    assert.equal(again.status, 404);
    await signIn(t.app, email, 'first password x');
    await assert.rejects(signIn(t.app, email, 'second password x'), /failed with 401/);
  });

  it('refuses an expired invitation link and an expired reset link', async () => {
    const { email, link, user } = await invite();
    const existing = await buildUser(t.ctx.db);
    const reset = await requestReset(existing.email);
    await t.ctx
      .db('one_time_tokens')
      .whereIn('user_id', [user.id, existing.id])
      .update({ expires_at: new Date(Date.now() - 1000) });
    const visitor = supertest.agent(t.app);
    assert.equal((await visitor.get(link)).status, 404);
    assert.equal((await postForm(visitor, '/signin', link, { password: 'too late password' })).status, 404);
    assert.equal((await userByEmail(email)).status, 'invited');
    assert.equal((await visitor.get(reset)).status, 404);
    assert.equal((await postForm(visitor, '/signin', reset, { password: 'too late password' })).status, 404);
    await signIn(t.app, existing.email, existing.password);
  });

  it('a password reset ends every session of the user', async () => {
    const user = await buildUser(t.ctx.db);
    const one = await signIn(t.app, user.email, user.password);
    const two = await signIn(t.app, user.email, user.password);
    const link = await requestReset(user.email);
    const visitor = supertest.agent(t.app);
    assert.equal((await postForm(visitor, link, link, { password: 'reset to something new' })).status, 303);
    assert.equal((await one.get('/account')).status, 303, 'signed out');
    assert.equal((await two.get('/account')).status, 303, 'signed out');
    const left = await t.ctx.db('sessions').whereRaw(`sess -> 'passport' ->> 'user' = ?`, [user.id]);
    assert.equal(left.length, 0);
  });

  it('stores only a hash of each token, never the token of the link', async () => {
    const { link, user } = await invite();
    const token = link.split('/').pop()!;
    const rows = await t.ctx.db('one_time_tokens').where({ user_id: user.id });
    assert.equal(rows.length, 1);
    assert.match(rows[0].token_hash, /^[0-9a-f]{64}$/);
    assert.doesNotMatch(JSON.stringify(await t.ctx.db('one_time_tokens')), new RegExp(token));
  });

  it('refuses to invite an address that exists already in another case', async () => {
    const user = await buildUser(t.ctx.db, { email: `Mixed.${Date.now()}@Example.ORG` });
    const res = await postForm(admin, '/admin/users/invite', '/admin/users/invite', {
      name: 'Dup',
      email: user.email.toLowerCase(),
    });
    assert.equal(res.status, 422);
    assert.match(res.text, /An account with this email address exists already/);
  });
});
