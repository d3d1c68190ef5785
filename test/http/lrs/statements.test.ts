import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import supertest from 'supertest';
import { startTestApp, type TestApp } from '../../helpers/http.js';
import { createTestLrsClient, xapiHeaders, type TestLrsClient } from '../../helpers/lrs.js';

export const actor = (n = 1) => ({
  objectType: 'Agent',
  mbox: `mailto:learner${n}@example.org`,
  name: `Learner ${n}`,
});
export const stmt = (o: Record<string, unknown> = {}) => ({
  actor: actor(),
  verb: { id: 'http://adlnet.gov/expapi/verbs/experienced', display: { 'en-US': 'experienced' } },
  object: {
    objectType: 'Activity',
    id: 'http://example.org/activities/a1',
    definition: { name: { 'en-US': 'A1', de: 'A1 de' } },
  },
  ...o,
});

describe('xAPI statements: PUT, POST, GET', () => {
  let t: TestApp;
  let client: TestLrsClient;
  let http: ReturnType<typeof supertest>;
  before(async function () {
    this.timeout(120_000);
    t = await startTestApp();
    client = await createTestLrsClient(t.ctx.db, ['all']);
    http = supertest(t.app);
  });
  after(() => t?.close());

  const post = (body: unknown, version = '2.0.0') =>
    http
      .post('/xapi/statements')
      .set(xapiHeaders(client, version))
      .type('application/json')
      .send(JSON.stringify(body));
  const get = (q: Record<string, string>) => http.get('/xapi/statements').query(q).set(xapiHeaders(client));

  it('stores a statement by POST and returns it with id, stored, timestamp, version and authority', async () => {
    const res = await post(stmt());
    assert.equal(res.status, 200, res.text);
    const [id] = res.body as string[];
    assert.ok(res.headers['x-experience-api-consistent-through']);
    const got = await get({ statementId: id! });
    assert.equal(got.status, 200, got.text);
    assert.equal(got.body.id, id);
    assert.equal(got.body.version, '2.0.0');
    assert.ok(got.body.stored && got.body.timestamp);
    assert.ok(got.body.authority);
    assert.ok(got.headers['last-modified']);
  });

  it('stores by PUT with statementId (204), same content again is 204, other content is 409', async () => {
    const id = randomUUID();
    const put = (body: unknown) =>
      http
        .put('/xapi/statements')
        .query({ statementId: id })
        .set(xapiHeaders(client))
        .type('application/json')
        .send(JSON.stringify(body));
    assert.equal((await put(stmt())).status, 204);
    // same statement, keys in another order and a verb display that differs: still the same
    const same = { object: stmt().object, verb: { id: stmt().verb.id }, actor: actor() };
    assert.equal((await put(same)).status, 204);
    const other = await put(stmt({ verb: { id: 'http://adlnet.gov/expapi/verbs/completed' } }));
    assert.equal(other.status, 409, other.text);
    assert.equal((await put(stmt())).status, 204);
    assert.equal(
      (
        await http
          .put('/xapi/statements')
          .set(xapiHeaders(client))
          .type('application/json')
          .send(JSON.stringify(stmt()))
      ).status,
      400,
    );
  });

  it('refuses a whole batch when one statement is invalid or ids repeat, storing nothing', async () => {
    const good = { ...stmt(), id: randomUUID() };
    const bad = stmt({ actor: { mbox: 'learner@example.org' } });
    const res = await post([good, bad]);
    assert.equal(res.status, 400);
    assert.match(res.body.error.message, /actor\.mbox/);
    assert.equal((await get({ statementId: good.id })).status, 404);
    const dup = await post([good, good]);
    assert.equal(dup.status, 400);
    assert.match(dup.body.error.message, /more than once/);
    assert.equal((await get({ statementId: good.id })).status, 404);
  });

  it('names the property and the rule of a refusal', async () => {
    const cases: [unknown, RegExp][] = [
      [stmt({ verb: { id: 'not an iri' } }), /verb\.id: must be an absolute IRI/],
      [stmt({ extra: 1 }), /"extra" is not allowed/],
      [
        stmt({ actor: { mbox: 'mailto:a@b.c', openid: 'http://x.org/a' } }),
        /exactly one inverse functional identifier/,
      ],
      [stmt({ result: { score: { scaled: 2 } } }), /result\.score\.scaled/],
      [stmt({ result: { score: { raw: 5, max: 4 } } }), /result\.score\.raw/],
      [stmt({ result: { duration: 'PT1X' } }), /result\.duration: must be an ISO 8601 duration/],
      [stmt({ timestamp: '2024-01-01T10:00:00' }), /timestamp: must be an ISO 8601 timestamp/],
      [stmt({ context: { registration: 'nope' } }), /context\.registration: must be a UUID/],
      [stmt({ verb: { id: 'http://x.org/v', display: { 'not a tag!': 'x' } } }), /verb\.display/],
      [
        stmt({ object: { objectType: 'Agent', mbox: 'mailto:x@y.z' }, context: { platform: 'x' } }),
        /context\.platform/,
      ],
      [stmt({ version: '3.0.0' }), /version/],
      [
        stmt({ context: { contextAgents: [{ objectType: 'contextAgent', agent: actor(2) }] } }),
        null as unknown as RegExp,
      ],
    ];
    for (const [body, re] of cases) {
      const res = await post(body);
      if (re === null) {
        assert.equal(res.status, 200, res.text);
        continue;
      }
      assert.equal(res.status, 400, `${JSON.stringify(body)} → ${res.status}`);
      assert.match(res.body.error.message, re);
    }
    // contextAgents only exist in 2.0
    const old = await post(
      stmt({ context: { contextAgents: [{ objectType: 'contextAgent', agent: actor(2) }] } }),
      '1.0.3',
    );
    assert.equal(old.status, 400);
  });

  it('refuses malformed JSON, wrong content types and unknown parameters with a reason', async () => {
    const r1 = await http
      .post('/xapi/statements')
      .set(xapiHeaders(client))
      .type('application/json')
      .send('{"actor":');
    assert.equal(r1.status, 400);
    assert.match(r1.body.error.message, /not valid JSON/);
    const r2 = await http.post('/xapi/statements').set(xapiHeaders(client)).type('text/plain').send('{}');
    assert.equal(r2.status, 400);
    assert.match(r2.body.error.message, /Content-Type/);
    const r3 = await get({ Agent: '{}' });
    assert.equal(r3.status, 400);
    assert.ok(r3.headers['x-experience-api-consistent-through']);
    const r4 = await get({ statementId: 'not-a-uuid' });
    assert.equal(r4.status, 400);
    const r5 = await get({ statementId: randomUUID(), verb: 'http://x.org/v' });
    assert.equal(r5.status, 400);
  });

  it('normalises a single context activity to an array and answers HEAD like GET without a body', async () => {
    const id = randomUUID();
    const s = {
      ...stmt({ context: { contextActivities: { parent: { id: 'http://example.org/course' } } } }),
      id,
    };
    assert.equal((await post(s)).status, 200);
    const got = await get({ statementId: id });
    assert.deepEqual(got.body.context.contextActivities.parent, [{ id: 'http://example.org/course' }]);
    const head = await http.head('/xapi/statements').query({ statementId: id }).set(xapiHeaders(client));
    assert.equal(head.status, 200);
    assert.equal(head.text, undefined);
  });

  it('answers format=ids and format=canonical', async () => {
    const id = randomUUID();
    await post({ ...stmt(), id });
    const ids = await get({ statementId: id, format: 'ids' });
    assert.deepEqual(ids.body.actor, { objectType: 'Agent', mbox: actor().mbox });
    assert.deepEqual(ids.body.verb, { id: stmt().verb.id });
    assert.equal(ids.body.object.definition, undefined);
    const canonical = await http
      .get('/xapi/statements')
      .query({ statementId: id, format: 'canonical' })
      .set(xapiHeaders(client))
      .set('Accept-Language', 'de');
    assert.deepEqual(canonical.body.object.definition.name, { de: 'A1 de' });
  });
});
