import assert from 'node:assert/strict';
import supertest from 'supertest';
import { startTestApp, type TestApp } from '../../helpers/http.js';
import { createTestLrsClient, xapiHeaders, type TestLrsClient } from '../../helpers/lrs.js';

describe('LRS CORS', () => {
  let t: TestApp;
  let client: TestLrsClient;
  before(async () => {
    t = await startTestApp();
    client = await createTestLrsClient(t.ctx.db, ['state']);
  });
  after(() => t.close());

  it('answers a preflight from any origin without credentials, allowing the xAPI headers', async () => {
    const res = await supertest(t.app)
      .options('/xapi/statements')
      .set('Origin', 'http://127.0.0.1:3001')
      .set('Access-Control-Request-Method', 'PUT')
      .set(
        'Access-Control-Request-Headers',
        'authorization, content-type, x-experience-api-version, if-match',
      );
    assert.equal(res.status, 204);
    assert.equal(res.headers['access-control-allow-origin'], 'http://127.0.0.1:3001');
    assert.match(res.headers['access-control-allow-methods']!, /PUT/);
    assert.match(res.headers['access-control-allow-headers']!, /x-experience-api-version/i);
    assert.match(res.headers.vary!, /Origin/);
  });

  it('exposes the xAPI response headers to scripts on other origins', async () => {
    const res = await supertest(t.app)
      .get('/xapi/activities/state')
      .query({ activityId: 'http://example.org/a', agent: JSON.stringify({ mbox: 'mailto:a@example.org' }) })
      .set('Origin', 'https://content.example.net')
      .set(xapiHeaders(client));
    assert.equal(res.status, 200);
    assert.equal(res.headers['access-control-allow-origin'], 'https://content.example.net');
    const exposed = res.headers['access-control-expose-headers']!;
    for (const h of [
      'X-Experience-API-Version',
      'X-Experience-API-Consistent-Through',
      'ETag',
      'Last-Modified',
    ]) {
      assert.ok(exposed.includes(h), h);
    }
    assert.equal(res.headers['set-cookie'], undefined, 'no session cookie on the LRS');
  });

  it('adds the CORS headers to refusals too', async () => {
    const res = await supertest(t.app)
      .get('/xapi/activities/state')
      .set('Origin', 'https://content.example.net');
    assert.equal(res.status, 400);
    assert.equal(res.headers['access-control-allow-origin'], 'https://content.example.net');
  });
});
