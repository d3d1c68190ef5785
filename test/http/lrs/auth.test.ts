import assert from 'node:assert/strict';
import supertest from 'supertest';
import { startTestApp, type TestApp } from '../../helpers/http.js';
import { createTestLrsClient, xapiHeaders, type TestLrsClient } from '../../helpers/lrs.js';
import { hasScope } from '../../../src/modules/lrs/auth.js';
import type { Scope } from '../../../src/modules/lrs/lrs.types.js';

const auth = (...s: Scope[]) => ({ scopes: new Set(s) });

describe('LRS authentication and scopes', () => {
  let t: TestApp;
  let client: TestLrsClient;
  before(async () => {
    t = await startTestApp();
    client = await createTestLrsClient(t.ctx.db, ['state']);
  });
  after(() => t.close());

  it('follows the scope hierarchy', () => {
    assert.equal(hasScope(auth('all'), 'statements/write'), true);
    assert.equal(hasScope(auth('all/read'), 'statements/read'), true);
    assert.equal(hasScope(auth('all/read'), 'statements/read/mine'), true);
    assert.equal(hasScope(auth('all/read'), 'statements/write'), false);
    assert.equal(hasScope(auth('statements/read'), 'statements/read/mine'), true);
    assert.equal(hasScope(auth('statements/read/mine'), 'statements/read'), false);
    assert.equal(hasScope(auth('state'), 'profile'), false);
  });

  it('refuses a request without credentials with 401 and a Basic challenge', async () => {
    const res = await supertest(t.app).get('/xapi/activities/state').set('X-Experience-API-Version', '2.0.0');
    assert.equal(res.status, 401);
    assert.equal(res.headers['www-authenticate'], 'Basic realm="xAPI"');
    assert.match(res.body.error.message, /Authorization header missing/);
  });

  it('refuses a wrong secret and an unknown key with 401', async () => {
    for (const header of [
      `Basic ${Buffer.from(`${client.key}:wrong`).toString('base64')}`,
      `Basic ${Buffer.from(`nokey:${client.secret}`).toString('base64')}`,
      'Bearer abc',
    ]) {
      const res = await supertest(t.app).get('/xapi/activities/state').set(xapiHeaders(header));
      assert.equal(res.status, 401, header);
      assert.equal(res.headers['x-experience-api-version'], '2.0.0');
    }
  });

  it('lets valid credentials through', async () => {
    const res = await supertest(t.app).get('/xapi/statements').set(xapiHeaders(client));
    assert.notEqual(res.status, 401);
  });
});
