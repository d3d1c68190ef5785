import assert from 'node:assert/strict';
import supertest from 'supertest';
import { startTestApp, type TestApp } from '../../helpers/http.js';
import { createTestLrsClient, xapiHeaders, type TestLrsClient } from '../../helpers/lrs.js';

const stmt = () => ({
  actor: { mbox: 'mailto:flood@example.org' },
  verb: { id: 'http://adlnet.gov/expapi/verbs/experienced' },
  object: { id: 'http://ex.org/act/flood' },
});

describe('xAPI statements under bad input and load', () => {
  let t: TestApp;
  let a: TestLrsClient;
  let b: TestLrsClient;
  let http: ReturnType<typeof supertest>;
  before(async function () {
    this.timeout(120_000);
    t = await startTestApp({ LRS_RATE_LIMIT: '2' }); // 2 requests/s per client, a burst of 20
    a = await createTestLrsClient(t.ctx.db, ['all']);
    b = await createTestLrsClient(t.ctx.db, ['all']);
    http = supertest(t.app);
  });
  after(() => t?.close());

  it('refuses a body over the size limit with 413', async () => {
    const huge = { ...stmt(), result: { response: 'x'.repeat(5 * 1024 * 1024) } };
    const res = await http
      .post('/xapi/statements')
      .set(xapiHeaders(b))
      .type('application/json')
      .send(JSON.stringify(huge));
    assert.equal(res.status, 413);
    assert.match(res.body.error.message, /larger than/);
  });

  it('answers a flood from one client with 429 and Retry-After while another client goes on', async () => {
    const statuses: number[] = [];
    let retryAfter: string | undefined;
    for (let i = 0; i < 40; i++) {
      const res = await http
        .post('/xapi/statements')
        .set(xapiHeaders(a))
        .type('application/json')
        .send(JSON.stringify(stmt()));
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers['retry-after'];
    }
    assert.ok(statuses.filter((s) => s === 200).length >= 19);
    assert.ok(statuses.includes(429));
    assert.ok(Number(retryAfter) >= 1);
    const other = await http
      .post('/xapi/statements')
      .set(xapiHeaders(b))
      .type('application/json')
      .send(JSON.stringify(stmt()));
    assert.equal(other.status, 200);
  });
});
