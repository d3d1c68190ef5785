import assert from 'node:assert/strict';
import supertest from 'supertest';
import { buildUser } from '../../factories.js';
import { auditedFor, postForm, signIn, startTestApp, type TestApp } from '../../helpers/http.js';

describe('open registration (HTTP)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ OPEN_REGISTRATION: 'true' });
  });
  after(() => t.close());

  const register = (email: string, name = 'Sam Self') =>
    postForm(supertest.agent(t.app), '/register', '/register', { name, email });
  const mailsTo = (email: string) =>
    t.ctx.db('mail_outbox').whereRaw('lower(to_address) = lower(?)', [email]).orderBy('created_at');

  it('lets visitors register when it is open: the address’s owner finishes the account from a mailed link', async () => {
    const email = `self-${Date.now()}@example.org`;
    const res = await register(email);
    assert.equal(res.status, 200);
    assert.match(res.text, /Check your mail/);
    assert.equal(
      (await auditedFor(t.ctx.db, 'user.registered', email)).details.outcome,
      'confirmation mailed',
    );
    const [mail] = await mailsTo(email);
    assert.equal(mail.subject, 'Finish your WorkCoopHub account');
    assert.doesNotMatch(mail.body, /Sam Self/, 'a visitor’s words never reach a stranger’s mailbox');
    const link = /http:\/\/localhost:3000(\/invitations\/[A-Za-z0-9_-]+)/.exec(mail.body)![1]!;

    // No password, so no sign-in, until the link is used.
    const pending = await t.ctx.db('users').where({ email }).first();
    assert.equal(pending.status, 'invited');
    assert.equal(pending.password_hash, null);

    const agent = supertest.agent(t.app);
    assert.match((await agent.get(link)).text, /Welcome, Sam Self!/);
    assert.equal((await postForm(agent, link, link, { password: 'my password 123' })).status, 303);
    const member = await signIn(t.app, email, 'my password 123');
    assert.match((await member.get('/')).text, /Welcome, Sam Self/);
    const roles = await t.ctx
      .db('user_roles')
      .join('users', 'users.id', 'user_roles.user_id')
      .where({ email });
    assert.deepEqual(
      roles.map((r) => r.role),
      ['learner'],
    );
  });

  it('answers the same for an address that has an account, and mails its owner where to sign in', async () => {
    const member = await buildUser(t.ctx.db);
    const res = await register(member.email.toUpperCase(), 'Someone Else');
    assert.equal(res.status, 200);
    assert.match(res.text, /Check your mail/);
    assert.equal(
      (await auditedFor(t.ctx.db, 'user.registered', member.email)).details.outcome,
      'already a member',
    );
    const [mail] = await mailsTo(member.email);
    assert.equal(mail.subject, 'You already have a WorkCoopHub account');
    assert.match(mail.body, /\/password\/forgot/);
    assert.equal((await t.ctx.db('users').whereRaw('lower(email) = lower(?)', [member.email])).length, 1);
  });

  it('mails a registering address at most three times an hour, and a disabled account never', async () => {
    const email = `again-${Date.now()}@example.org`;
    for (let i = 1; i <= 4; i++) {
      await register(email);
      const done = await auditedFor(t.ctx.db, 'user.registered', email, i);
      assert.equal(done.details.outcome, i <= 3 ? 'confirmation mailed' : 'too many mails');
    }
    assert.equal((await mailsTo(email)).length, 3);
    const disabled = await buildUser(t.ctx.db);
    await t.ctx.db('users').where({ id: disabled.id }).update({ status: 'disabled' });
    await register(disabled.email);
    assert.equal(
      (await auditedFor(t.ctx.db, 'user.registered', disabled.email)).details.outcome,
      'account disabled',
    );
    assert.equal((await mailsTo(disabled.email)).length, 0);
  });

  it('refuses a registration form without a valid address, saying why', async () => {
    const res = await register('not an address');
    assert.equal(res.status, 422);
    assert.match(res.text, /Enter a valid email address/);
  });

  it('offers registration on the sign-in page only when it is open', async () => {
    assert.match((await supertest(t.app).get('/signin')).text, /href="\/register"/);
  });

  it('keeps registration closed by default', async () => {
    const closed = await startTestApp();
    try {
      assert.doesNotMatch((await supertest(closed.app).get('/signin')).text, /href="\/register"/);
      const res = await supertest(closed.app).get('/register');
      assert.equal(res.status, 404);
      assert.match(res.text, /Registration is by invitation/);
      const email = `closed-${Date.now()}@example.org`;
      const agent = supertest.agent(closed.app);
      const posted = await postForm(agent, '/signin', '/register', {
        name: 'Not Welcome',
        email,
        password: 'my password 123',
      });
      assert.equal(posted.status, 404);
      assert.equal(await closed.ctx.db('users').where({ email }).first(), undefined);
    } finally {
      await closed.close();
    }
  });
});
