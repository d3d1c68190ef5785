import assert from 'node:assert/strict';
import supertest from 'supertest';
import { buildUser } from '../../factories.js';
import { postForm, signIn, startTestApp, type TestApp } from '../../helpers/http.js';

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
    const before = /wch\.sid=([^;]+)/.exec(String(page.headers['set-cookie']))?.[1];
    assert.ok(before, 'the sign-in form starts a session for its CSRF token');
    const res = await postForm(agent, '/signin', '/signin', { email: user.email, password: user.password });
    assert.equal(res.status, 303);
    const after = /wch\.sid=([^;]+)/.exec(String(res.headers['set-cookie']))?.[1];
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
    const msg = 'The email address or password is not correct, or this account cannot sign in.';
    assert.ok(wrong.text.includes(msg) && unknown.text.includes(msg));
  });

  it('refuses a form without its CSRF token', async () => {
    const user = await buildUser(t.ctx.db);
    const agent = supertest.agent(t.app);
    await agent.get('/signin');
    const res = await agent.post('/signin').type('form').send({ email: user.email, password: user.password });
    assert.equal(res.status, 403);
    assert.match(res.text, /This form has expired or did not come from this site/);
  });

  it('signs out', async () => {
    const user = await buildUser(t.ctx.db);
    const agent = await signIn(t.app, user.email, user.password);
    const res = await postForm(agent, '/', '/signout', {});
    assert.equal(res.status, 303);
    const account = await agent.get('/account');
    assert.equal(account.status, 303);
    assert.match(account.headers.location!, /^\/signin/);
  });
});
