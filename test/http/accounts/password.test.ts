import assert from 'node:assert/strict';
import supertest from 'supertest';
import { buildUser } from '../../factories.js';
import { auditedFor, postForm, signIn, startTestApp, type TestApp } from '../../helpers/http.js';

const lastMailTo = async (t: TestApp, to: string) =>
  (await t.ctx.db('mail_outbox').where({ to_address: to }).orderBy('created_at', 'desc').first()) as
    { subject: string; body: string; status: string } | undefined;

const linkIn = (body: string, path: string) => {
  const m = new RegExp(`http://localhost:3000(${path}/[A-Za-z0-9_-]+)`).exec(body);
  assert.ok(m, `a ${path} link in the mail`);
  return m[1]!;
};

describe('passwords (HTTP)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  it('changing the password ends the other sessions but keeps this one', async () => {
    const user = await buildUser(t.ctx.db);
    const here = await signIn(t.app, user.email, user.password);
    const elsewhere = await signIn(t.app, user.email, user.password);
    const res = await postForm(here, '/account', '/account/password', {
      current: user.password,
      password: 'a brand new passphrase',
    });
    assert.equal(res.status, 303);
    assert.equal((await here.get('/account')).status, 200);
    assert.equal((await elsewhere.get('/account')).status, 303, 'the other device is signed out');
    await signIn(t.app, user.email, 'a brand new passphrase');
  });

  it('refuses a wrong current password or a short new one, with the reason', async () => {
    const user = await buildUser(t.ctx.db);
    const agent = await signIn(t.app, user.email, user.password);
    const wrong = await postForm(agent, '/account', '/account/password', {
      current: 'nope',
      password: 'long enough pass',
    });
    assert.equal(wrong.status, 422);
    assert.match(wrong.text, /The current password is not correct/);
    const short = await postForm(agent, '/account', '/account/password', {
      current: user.password,
      password: 'short',
    });
    assert.equal(short.status, 422);
    assert.match(short.text, /at least 10 characters/);
    await signIn(t.app, user.email, user.password); // unchanged
  });

  it('resets a forgotten password by a one-time mailed link, in the outbox when no SMTP is set', async () => {
    const user = await buildUser(t.ctx.db);
    const agent = supertest.agent(t.app);
    const res = await postForm(agent, '/password/forgot', '/password/forgot', { email: user.email });
    assert.equal(res.status, 200);
    assert.match(res.text, /If an account exists for this address/);
    assert.equal(
      (await auditedFor(t.ctx.db, 'password.reset_requested', user.email)).details.outcome,
      'mailed',
    );
    const mail = await lastMailTo(t, user.email);
    assert.equal(mail?.status, 'kept');
    const link = linkIn(mail!.body, '/password/reset');
    assert.equal((await agent.get(link)).status, 200);
    const done = await postForm(agent, link, link, { password: 'reset to something new' });
    assert.equal(done.status, 303);
    await signIn(t.app, user.email, 'reset to something new');
    const again = await agent.get(link);
    assert.equal(again.status, 404, 'the link works once');
    assert.match(again.text, /not valid any more/);
  });

  it('answers the same for an unknown address and sends nothing', async () => {
    const agent = supertest.agent(t.app);
    const res = await postForm(agent, '/password/forgot', '/password/forgot', { email: 'ghost@example.org' });
    assert.equal(res.status, 200);
    assert.match(res.text, /If an account exists for this address/);
    const done = await auditedFor(t.ctx.db, 'password.reset_requested', 'ghost@example.org');
    assert.equal(done.details.outcome, 'unknown account');
    assert.equal(await lastMailTo(t, 'ghost@example.org'), undefined);
  });

  it('mails one address at most three links an hour, saying the same each time', async () => {
    const user = await buildUser(t.ctx.db);
    for (let i = 1; i <= 4; i++) {
      const res = await postForm(supertest.agent(t.app), '/password/forgot', '/password/forgot', {
        email: user.email.toUpperCase(),
      });
      assert.match(res.text, /If an account exists for this address/);
      const done = await auditedFor(t.ctx.db, 'password.reset_requested', user.email, i);
      assert.equal(done.details.outcome, i <= 3 ? 'mailed' : 'too many mails');
    }
    assert.equal((await t.ctx.db('mail_outbox').where({ to_address: user.email })).length, 3);
  });

  it('shows the reset page’s own notice when a used or unknown link is posted', async () => {
    const agent = supertest.agent(t.app);
    const res = await postForm(agent, '/password/forgot', '/password/reset/not-a-real-token', {
      password: 'a new passphrase here',
    });
    assert.equal(res.status, 404);
    assert.match(res.text, /This link is not valid any more/);
    assert.match(res.text, /href="\/password\/forgot"/);
  });

  it('names a too short password in the user’s language', async () => {
    const user = await buildUser(t.ctx.db, { language: 'de' });
    const agent = await signIn(t.app, user.email, user.password);
    const short = await postForm(agent, '/account', '/account/password', {
      current: user.password,
      password: 'kurz',
    });
    assert.equal(short.status, 422);
    assert.match(short.text, /Das Passwort braucht mindestens 10 Zeichen\./);
    assert.doesNotMatch(short.text, /at least 10 characters/);
  });

  it('shows German texts to a German browser', async () => {
    const res = await supertest(t.app).get('/password/forgot').set('Accept-Language', 'de-DE,de;q=0.9');
    assert.match(res.text, /<html lang="de">/);
    assert.doesNotMatch(res.text, /Reset your password/);
  });
});
