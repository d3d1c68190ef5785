import assert from 'node:assert/strict';
import supertest from 'supertest';
import { buildUser } from '../../factories.js';
import { csrfFrom, signIn, startTestApp, type TestApp } from '../../helpers/http.js';

const switcherBack = (html: string) =>
  /action="\/language">[\s\S]*?name="back" value="([^"]*)"/.exec(html)?.[1];

describe('the page language and its switcher (HTTP)', function () {
  this.timeout(60_000); // the app migrates a fresh database; slow on a busy machine
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  describe('where the switcher leads back to', () => {
    it('is the page itself on a GET', async () => {
      const res = await supertest(t.app).get('/courses?page=1');
      assert.equal(switcherBack(res.text), '/courses?page=1');
    });

    it('is the form’s page, from a same-origin Referer, on a form shown again after a failed POST', async () => {
      const user = await buildUser(t.ctx.db);
      const agent = await signIn(t.app, user.email, user.password);
      const _csrf = await csrfFrom(agent, '/account');
      const post = (referer?: string) => {
        const req = agent.post('/account/password').set('Host', 'localhost:3000');
        if (referer) void req.set('Referer', referer);
        return req.type('form').send({ _csrf, current: user.password, password: 'short' });
      };
      const same = await post('http://localhost:3000/account');
      assert.equal(same.status, 422);
      assert.equal(switcherBack(same.text), '/account');
      // No Referer, or another site's: the home page, never the POST-only URL.
      for (const referer of [undefined, 'http://elsewhere.example/account', 'http://localhost:4000/x']) {
        const res = await post(referer);
        assert.equal(res.status, 422);
        assert.equal(switcherBack(res.text), '/', String(referer));
      }
    });
  });
});
