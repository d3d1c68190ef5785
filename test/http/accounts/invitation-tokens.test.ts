import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import supertest from 'supertest';
import { postForm, startTestApp, type TestApp } from '../../helpers/http.js';

// An invitation link whose token the platform never issued opens nothing: the page and its form answer
// 404 with the "not valid any more" message, and posting a password (with a valid CSRF token) creates or
// activates no one.
describe('invitation links with an unknown token (HTTP)', function () {
  this.timeout(60_000);
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  const INVALID = /This invitation link is not valid any more/;
  const tokens = ['garbage', randomBytes(32).toString('base64url')];

  for (const token of tokens) {
    it(`answers 404 to GET and POST of /invitations/${token.length > 10 ? '<well-formed>' : token}`, async () => {
      const visitor = supertest.agent(t.app);
      const page = await visitor.get(`/invitations/${token}`);
      assert.equal(page.status, 404);
      assert.match(page.text, INVALID);
      assert.doesNotMatch(page.text, /name="password"/);

      const users = await t.ctx.db('users').count({ n: '*' });
      const audit = await t.ctx.db('audit_events').count({ n: '*' });
      const res = await postForm(visitor, '/signin', `/invitations/${token}`, {
        password: 'a long enough password',
      });
      assert.equal(res.status, 404);
      assert.match(res.text, INVALID);
      assert.deepEqual(await t.ctx.db('users').count({ n: '*' }), users);
      assert.deepEqual(await t.ctx.db('audit_events').count({ n: '*' }), audit);
    });
  }
});
