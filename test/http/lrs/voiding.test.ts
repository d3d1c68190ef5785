import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import supertest from 'supertest';
import { startTestApp, type TestApp } from '../../helpers/http.js';
import { createTestLrsClient, xapiHeaders, type TestLrsClient } from '../../helpers/lrs.js';

const VOIDED = 'http://adlnet.gov/expapi/verbs/voided';
const base = () => ({
  actor: { mbox: 'mailto:v@example.org' },
  verb: { id: 'http://adlnet.gov/expapi/verbs/passed' },
  object: { id: 'http://ex.org/act/voiding' },
});
const voiding = (target: string) => ({
  actor: { mbox: 'mailto:admin@example.org' },
  verb: { id: VOIDED },
  object: { objectType: 'StatementRef', id: target },
});

describe('xAPI voiding', () => {
  let t: TestApp;
  let client: TestLrsClient;
  let http: ReturnType<typeof supertest>;
  const post = (body: unknown) =>
    http
      .post('/xapi/statements')
      .set(xapiHeaders(client))
      .type('application/json')
      .send(JSON.stringify(body));
  const get = (q: Record<string, string>) => http.get('/xapi/statements').query(q).set(xapiHeaders(client));

  before(async function () {
    this.timeout(120_000);
    t = await startTestApp();
    client = await createTestLrsClient(t.ctx.db, ['all']);
    http = supertest(t.app);
  });
  after(() => t?.close());

  it('takes a voided statement out of queries; it stays fetchable by voidedStatementId', async () => {
    const [target] = (await post(base())).body as string[];
    const [voider] = (await post(voiding(target!))).body as string[];
    assert.equal((await get({ statementId: target! })).status, 404);
    const v = await get({ voidedStatementId: target! });
    assert.equal(v.status, 200);
    assert.equal(v.body.id, target);
    const listed = (await get({ activity: 'http://ex.org/act/voiding' })).body.statements.map(
      (s: { id: string }) => s.id,
    );
    assert.ok(!listed.includes(target));
    // the voiding statement targets the voided one: it is still found by the target's filters
    assert.ok(listed.includes(voider));
    assert.equal((await get({ voidedStatementId: voider! })).status, 404);
  });

  it('never voids a voiding statement, accepts voiding an unknown id, and requires a StatementRef', async () => {
    const [target] = (await post(base())).body as string[];
    const [voider] = (await post(voiding(target!))).body as string[];
    assert.equal((await post(voiding(voider!))).status, 200);
    assert.equal((await get({ statementId: voider! })).status, 200);
    assert.equal((await post(voiding(randomUUID()))).status, 200);
    const bad = await post({ ...voiding(target!), object: { id: 'http://ex.org/a' } });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /StatementRef/);
  });

  it('voids a statement that arrives after its voiding statement', async () => {
    const late = randomUUID();
    assert.equal((await post(voiding(late))).status, 200);
    assert.equal((await post({ ...base(), id: late })).status, 200);
    assert.equal((await get({ statementId: late })).status, 404);
    assert.equal((await get({ voidedStatementId: late })).status, 200);
  });
});
