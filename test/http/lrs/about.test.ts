import assert from 'node:assert/strict';
import supertest from 'supertest';
import { startTestApp, type TestApp } from '../../helpers/http.js';
import { createTestLrsClient, xapiHeaders } from '../../helpers/lrs.js';

describe('LRS About resource', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  it('lists the versions without credentials nor version header', async () => {
    const res = await supertest(t.app).get('/xapi/about');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { version: ['1.0.3', '2.0.0'] });
    assert.ok(res.headers['x-experience-api-version']);
  });

  it('answers HEAD, and 405 to writes', async () => {
    const head = await supertest(t.app).head('/xapi/about');
    assert.equal(head.status, 200);
    const post = await supertest(t.app).post('/xapi/about').send({});
    assert.equal(post.status, 405);
  });

  it('answers 404 in JSON for unknown LRS paths', async () => {
    const client = await createTestLrsClient(t.ctx.db, ['all']);
    const res = await supertest(t.app).get('/xapi/nothing').set(xapiHeaders(client));
    assert.equal(res.status, 404);
    assert.equal(res.body.error.status, 404);
  });
  it("sets its own request id and nosniff, ahead of the pages' logging and security headers", async () => {
    const client = await createTestLrsClient(t.ctx.db, ['all']);
    const res = await supertest(t.app).get('/xapi/statements?limit=x').set(xapiHeaders(client));
    assert.equal(res.status, 400);
    assert.match(res.headers['x-request-id'] ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(res.body.error.requestId, res.headers['x-request-id']);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['content-security-policy'], undefined); // JSON only: no page policy to build
    assert.equal(res.headers['set-cookie'], undefined);
  });
});
