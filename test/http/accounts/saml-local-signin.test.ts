import assert from 'node:assert/strict';
import supertest from 'supertest';
import { buildUser } from '../../factories.js';
import { postForm, signIn, startTestApp, type TestApp } from '../../helpers/http.js';
import { lastAudit } from '../../helpers/saml-idp.js';

/**
 * LOCAL_SIGNIN=false: members sign in through SAML only; the password form stays for break-glass admins,
 * those in BREAK_GLASS_EMAILS (or every admin when that list is empty).
 */
describe('local sign-in turned off, with break-glass admins (HTTP)', function () {
  this.timeout(180_000);

  describe('with a list of break-glass emails', () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp({
        LOCAL_SIGNIN: 'false',
        BREAK_GLASS_EMAILS: 'Glass@Coop.example',
        OPEN_REGISTRATION: 'true',
      });
    });
    after(() => t?.close());

    it('refuses a learner’s correct password, audited with the reason', async () => {
      const learner = await buildUser(t.ctx.db, { roles: ['learner'] });
      const res = await postForm(supertest.agent(t.app), '/signin', '/signin', {
        email: learner.email,
        password: learner.password,
      });
      assert.equal(res.status, 401);
      const audit = await lastAudit(t, 'signin.failure');
      assert.equal(audit?.subject_user_id, learner.id);
      assert.equal(audit?.details.why, 'local sign-in is off');
    });

    it('refuses an admin who is not on the list', async () => {
      const admin = await buildUser(t.ctx.db, { roles: ['admin'] });
      const res = await postForm(supertest.agent(t.app), '/signin', '/signin', {
        email: admin.email,
        password: admin.password,
      });
      assert.equal(res.status, 401);
    });

    it('lets a listed admin in with their password (email compared without case)', async () => {
      const glass = await buildUser(t.ctx.db, { roles: ['admin'], email: 'glass@coop.example' });
      const agent = await signIn(t.app, glass.email, glass.password);
      assert.equal((await agent.get('/admin')).status, 200);
    });

    it('does not let a listed email in without the admin role', async () => {
      await t.ctx
        .db('users')
        .where({ email: 'glass@coop.example' })
        .update({ email: 'glass-old@coop.example' });
      const notAdmin = await buildUser(t.ctx.db, { roles: ['trainer'], email: 'glass@coop.example' });
      const res = await postForm(supertest.agent(t.app), '/signin', '/signin', {
        email: notAdmin.email,
        password: notAdmin.password,
      });
      assert.equal(res.status, 401);
    });

    it('shows the password form as the administrators’ way in, and closes registration', async () => {
      const page = await supertest(t.app).get('/signin');
      assert.match(page.text, /<details class="saml-break-glass">/);
      assert.match(page.text, /Administrator sign-in with a password/);
      assert.doesNotMatch(page.text, /href="\/register"/);
      assert.equal((await supertest(t.app).get('/register')).status, 404);
    });
  });

  describe('without a list', () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp({ LOCAL_SIGNIN: 'false' });
    });
    after(() => t?.close());

    it('lets every admin in, and nobody else', async () => {
      const admin = await buildUser(t.ctx.db, { roles: ['admin'] });
      await signIn(t.app, admin.email, admin.password);
      const coordinator = await buildUser(t.ctx.db, { roles: ['coordinator'] });
      const res = await postForm(supertest.agent(t.app), '/signin', '/signin', {
        email: coordinator.email,
        password: coordinator.password,
      });
      assert.equal(res.status, 401);
    });
  });
});
