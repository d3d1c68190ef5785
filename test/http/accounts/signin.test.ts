import assert from 'node:assert/strict';
import supertest from 'supertest';
import { buildUser } from '../../factories.js';
import { postForm, signIn, startTestApp, type TestApp } from '../../helpers/http.js';

const GENERIC = 'The email address or password is not correct, or this account cannot sign in.';
const sessionCookie = (res: { headers: Record<string, unknown> }) =>
  /wch\.sid=([^;]+)/.exec(String(res.headers['set-cookie']))?.[1];
// The cookie holds "s:<session id>.<signature>", URL-encoded.
const sidOf = (cookie: string) => {
  const signed = decodeURIComponent(cookie).slice(2);
  return signed.slice(0, signed.lastIndexOf('.'));
};

describe('sign-in (HTTP)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  it('signs a user in with the right password, rotating the session id', async () => {
    const user = await buildUser(t.ctx.db);
    const agent = supertest.agent(t.app);
    const page = await agent.get('/signin');
    const before = sessionCookie(page);
    assert.ok(before, 'the sign-in form starts a session for its CSRF token');
    const res = await postForm(agent, '/signin', '/signin', { email: user.email, password: user.password });
    assert.equal(res.status, 303);
    const after = sessionCookie(res);
    assert.ok(after && after !== before, 'a new session id after sign-in');
    const home = await agent.get('/');
    assert.match(home.text, new RegExp(`Welcome, ${user.name}`));
  });

  it('refuses a wrong password with one generic message', async () => {
    const user = await buildUser(t.ctx.db);
    const agent = supertest.agent(t.app);
    const wrong = await postForm(agent, '/signin', '/signin', {
      email: user.email,
      password: 'nope-nope-nope',
    });
    const unknown = await postForm(agent, '/signin', '/signin', {
      email: 'nobody@example.org',
      password: 'x',
    });
    assert.equal(wrong.status, 401);
    assert.equal(unknown.status, 401);
    assert.ok(wrong.text.includes(GENERIC) && unknown.text.includes(GENERIC));
  });

  it('gives invited and disabled users the same generic message as a wrong password', async () => {
    const invited = await buildUser(t.ctx.db);
    const disabled = await buildUser(t.ctx.db);
    await t.ctx.db('users').where({ id: invited.id }).update({ status: 'invited' });
    await t.ctx.db('users').where({ id: disabled.id }).update({ status: 'disabled' });
    for (const user of [invited, disabled]) {
      const res = await postForm(supertest.agent(t.app), '/signin', '/signin', {
        email: user.email,
        password: user.password,
      });
      assert.equal(res.status, 401);
      assert.ok(res.text.includes(GENERIC), user.email);
    }
  });

  it('removes the session from before sign-in: its cookie signs nobody in', async () => {
    const user = await buildUser(t.ctx.db);
    const agent = supertest.agent(t.app);
    const before = sessionCookie(await agent.get('/signin'))!;
    assert.ok(
      await t.ctx
        .db('sessions')
        .where({ sid: sidOf(before) })
        .first(),
      'stored before sign-in',
    );
    const res = await postForm(agent, '/signin', '/signin', { email: user.email, password: user.password });
    assert.equal(res.status, 303);
    assert.equal(
      await t.ctx
        .db('sessions')
        .where({ sid: sidOf(before) })
        .first(),
      undefined,
    );
    const old = await supertest(t.app).get('/account').set('Cookie', `wch.sid=${before}`);
    assert.equal(old.status, 303);
    assert.match(old.headers.location!, /^\/signin/);
  });

  it('refuses a form without its CSRF token', async () => {
    const user = await buildUser(t.ctx.db);
    const agent = supertest.agent(t.app);
    await agent.get('/signin');
    const res = await agent.post('/signin').type('form').send({ email: user.email, password: user.password });
    assert.equal(res.status, 403);
    assert.match(res.text, /This form has expired or did not come from this site/);
  });

  it('signs out, deleting the session', async () => {
    const user = await buildUser(t.ctx.db);
    const agent = await signIn(t.app, user.email, user.password);
    const ofUser = () => t.ctx.db('sessions').whereRaw(`sess -> 'passport' ->> 'user' = ?`, [user.id]);
    assert.equal((await ofUser()).length, 1);
    const res = await postForm(agent, '/', '/signout', {});
    assert.equal((await ofUser()).length, 0);
    assert.equal(res.status, 303);
    const account = await agent.get('/account');
    assert.equal(account.status, 303);
    assert.match(account.headers.location!, /^\/signin/);
  });
});
