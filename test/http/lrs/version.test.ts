import assert from 'node:assert/strict';
import supertest from 'supertest';
import { startTestApp, type TestApp } from '../../helpers/http.js';
import { createTestLrsClient, xapiHeaders, type TestLrsClient } from '../../helpers/lrs.js';
import { parseVersion } from '../../../src/modules/lrs/version.js';

describe('LRS version header', () => {
  let t: TestApp;
  let client: TestLrsClient;
  const path = '/xapi/activities/profile?activityId=http%3A%2F%2Fexample.org%2Fa';
  before(async () => {
    t = await startTestApp();
    client = await createTestLrsClient(t.ctx.db, ['profile']);
  });
  after(() => t.close());

  it('reads 1.0, 1.0.x and 2.0.x; refuses the rest', () => {
    assert.equal(parseVersion('1.0'), '1.0.3');
    assert.equal(parseVersion('1.0.1'), '1.0.3');
    assert.equal(parseVersion('2.0'), '2.0.0');
    assert.equal(parseVersion('2.0.7'), '2.0.0');
    for (const v of ['0.95', '1.1.0', '2.1.0', '3', '', 'abc']) assert.equal(parseVersion(v), null, v);
  });

  it('answers in the version asked', async () => {
    for (const [asked, answered] of [
      ['1.0.0', '1.0.3'],
      ['1.0.3', '1.0.3'],
      ['2.0.0', '2.0.0'],
    ]) {
      const res = await supertest(t.app).get(path).set(xapiHeaders(client, asked!));
      assert.equal(res.status, 200);
      assert.equal(res.headers['x-experience-api-version'], answered);
    }
  });

  it('refuses a missing or unsupported version with 400 naming the header', async () => {
    const missing = await supertest(t.app).get(path).set('Authorization', client.authHeader);
    assert.equal(missing.status, 400);
    assert.match(missing.body.error.message, /X-Experience-API-Version header missing/);
    assert.ok(missing.headers['x-experience-api-version']);
    const old = await supertest(t.app).get(path).set(xapiHeaders(client, '0.95'));
    assert.equal(old.status, 400);
    assert.match(old.body.error.message, /"0\.95" is not supported/);
    const future = await supertest(t.app).get(path).set(xapiHeaders(client, '2.1.0'));
    assert.equal(future.status, 400);
  });

  it('names, when a known client sends no version, the version it spoke last', async () => {
    await supertest(t.app).get(path).set(xapiHeaders(client, '1.0.3'));
    const missing = await supertest(t.app).get(path).set('Authorization', client.authHeader);
    assert.equal(missing.headers['x-experience-api-version'], '1.0.3');
    await supertest(t.app).get(path).set(xapiHeaders(client, '2.0.0'));
    const again = await supertest(t.app).get(path).set('Authorization', client.authHeader);
    assert.equal(again.headers['x-experience-api-version'], '2.0.0');
  });
});
