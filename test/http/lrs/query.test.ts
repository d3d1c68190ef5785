import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import supertest from 'supertest';
import { issueLaunchCredential } from '../../../src/modules/lrs/index.js';
import { startTestApp, type TestApp } from '../../helpers/http.js';
import { createTestLrsClient, xapiHeaders, type TestLrsClient } from '../../helpers/lrs.js';

const agent = (n: number) => ({ objectType: 'Agent', mbox: `mailto:q${n}@example.org` });
const VERB = 'http://adlnet.gov/expapi/verbs/';

describe('xAPI statement queries', () => {
  let t: TestApp;
  let client: TestLrsClient;
  let http: ReturnType<typeof supertest>;
  const reg = randomUUID();
  const ids: Record<string, string> = {};

  const post = (body: unknown, c: { authHeader: string } = client) =>
    http.post('/xapi/statements').set(xapiHeaders(c)).type('application/json').send(JSON.stringify(body));
  const query = (q: Record<string, string>, c: { authHeader: string } = client) =>
    http.get('/xapi/statements').query(q).set(xapiHeaders(c));
  const idsOf = (res: { body: { statements: { id: string }[] } }) => res.body.statements.map((s) => s.id);

  before(async function () {
    this.timeout(120_000);
    t = await startTestApp();
    client = await createTestLrsClient(t.ctx.db, ['all']);
    http = supertest(t.app);
    const make = (name: string, s: Record<string, unknown>) => {
      ids[name] = randomUUID();
      return { id: ids[name], ...s };
    };
    const res = await post([
      make('a1', {
        actor: agent(1),
        verb: { id: `${VERB}attempted` },
        object: { id: 'http://ex.org/act/1' },
        context: { registration: reg },
      }),
      make('a2', {
        actor: agent(2),
        verb: { id: `${VERB}completed` },
        object: { id: 'http://ex.org/act/2' },
        context: { contextActivities: { parent: [{ id: 'http://ex.org/course' }] }, instructor: agent(9) },
      }),
      make('group', {
        actor: { objectType: 'Group', name: 'team', member: [agent(3), agent(4)] },
        verb: { id: `${VERB}attended` },
        object: { id: 'http://ex.org/act/3' },
      }),
      make('sub', {
        actor: agent(5),
        verb: { id: `${VERB}planned` },
        object: {
          objectType: 'SubStatement',
          actor: agent(6),
          verb: { id: `${VERB}attempted` },
          object: { id: 'http://ex.org/act/sub' },
        },
      }),
    ]);
    assert.equal(res.status, 200, res.text);
    // a statement that targets a1 by StatementRef matches a1's filters too (Communication 2.1.3)
    const ref = await post(
      make('ref', {
        actor: agent(7),
        verb: { id: `${VERB}commented` },
        object: { objectType: 'StatementRef', id: ids.a1 },
      }),
    );
    assert.equal(ref.status, 200, ref.text);
  });
  after(() => t?.close());

  it('filters by agent (actor, object, group member), verb, activity and registration', async () => {
    assert.deepEqual(idsOf(await query({ agent: JSON.stringify(agent(2)) })), [ids.a2]);
    assert.deepEqual(idsOf(await query({ agent: JSON.stringify(agent(3)) })), [ids.group]);
    assert.deepEqual(idsOf(await query({ verb: `${VERB}completed` })), [ids.a2]);
    assert.deepEqual(idsOf(await query({ activity: 'http://ex.org/act/2' })), [ids.a2]);
    assert.deepEqual(new Set(idsOf(await query({ registration: reg }))), new Set([ids.a1, ids.ref]));
    assert.deepEqual(
      new Set(idsOf(await query({ agent: JSON.stringify(agent(1)) }))),
      new Set([ids.a1, ids.ref]),
    );
    assert.deepEqual(idsOf(await query({ agent: JSON.stringify(agent(1)), verb: `${VERB}completed` })), []);
  });

  it('applies related_activities and related_agents broadly', async () => {
    assert.deepEqual(idsOf(await query({ activity: 'http://ex.org/course' })), []);
    assert.deepEqual(idsOf(await query({ activity: 'http://ex.org/course', related_activities: 'true' })), [
      ids.a2,
    ]);
    assert.deepEqual(idsOf(await query({ agent: JSON.stringify(agent(9)) })), []);
    assert.deepEqual(idsOf(await query({ agent: JSON.stringify(agent(9)), related_agents: 'true' })), [
      ids.a2,
    ]);
    assert.deepEqual(idsOf(await query({ agent: JSON.stringify(agent(6)), related_agents: 'true' })), [
      ids.sub,
    ]);
    assert.deepEqual(idsOf(await query({ activity: 'http://ex.org/act/sub', related_activities: 'true' })), [
      ids.sub,
    ]);
  });

  it('orders by stored, newest first unless ascending, and honours since/until', async () => {
    const all = idsOf(await query({}));
    assert.equal(all[0], ids.ref);
    const asc = idsOf(await query({ ascending: 'true' }));
    assert.deepEqual(asc, [...all].reverse());
    const one = await query({ statementId: ids.ref! });
    const stored = one.body.stored as string;
    assert.deepEqual(idsOf(await query({ since: stored })), []);
    assert.ok(
      !idsOf(await query({ until: new Date(Date.parse(stored) - 1).toISOString() })).includes(ids.ref!),
    );
  });

  it('pages with stable more links while statements keep arriving', async () => {
    const first = await query({ limit: '2' });
    assert.equal(first.body.statements.length, 2);
    assert.match(first.body.more, /^\/xapi\/statements\?more=/);
    const seen = idsOf(first);
    // a new statement arrives between pages: it must not shift or repeat the pages
    assert.equal(
      (
        await post({
          actor: agent(8),
          verb: { id: `${VERB}attempted` },
          object: { id: 'http://ex.org/act/9' },
        })
      ).status,
      200,
    );
    let more = first.body.more as string;
    while (more) {
      const page = await http.get(more).set(xapiHeaders(client));
      assert.equal(page.status, 200, page.text);
      seen.push(...idsOf(page));
      more = page.body.more;
    }
    assert.deepEqual(new Set(seen), new Set(Object.values(ids)));
    assert.equal(seen.length, Object.values(ids).length);
    assert.equal((await http.get('/xapi/statements?more=garbage').set(xapiHeaders(client))).status, 400);
  });

  it('returns format=ids in queries and refuses bad parameter values', async () => {
    const res = await query({ format: 'ids', verb: `${VERB}attended` });
    assert.deepEqual(res.body.statements[0].actor.member, [agent(3), agent(4)]);
    const bad: Record<string, string>[] = [
      { agent: '{"mbox":"q1@example.org"}' },
      { verb: 'nope' },
      { since: 'yesterday' },
      { limit: '-1' },
      { ascending: 'yes' },
      { format: 'full' },
    ];
    for (const q of bad) {
      const r = await query(q);
      assert.equal(r.status, 400, JSON.stringify(q));
      assert.ok(r.body.error.message.length > 10);
    }
  });

  it('gives statements/read/mine only the statements of its own credentials', async () => {
    const mine = await createTestLrsClient(t.ctx.db, ['statements/write', 'statements/read/mine']);
    const [own] = (
      await post(
        { actor: agent(1), verb: { id: `${VERB}attempted` }, object: { id: 'http://ex.org/act/1' } },
        mine,
      )
    ).body as string[];
    assert.deepEqual(idsOf(await query({}, mine)), [own]);
    assert.equal((await query({ statementId: ids.a1! }, mine)).status, 404);
    const writeOnly = await createTestLrsClient(t.ctx.db, ['statements/write']);
    assert.equal((await query({}, writeOnly)).status, 403);
    const readOnly = await createTestLrsClient(t.ctx.db, ['statements/read']);
    assert.equal(
      (
        await post(
          { actor: agent(1), verb: { id: `${VERB}attempted` }, object: { id: 'http://ex.org/a' } },
          readOnly,
        )
      ).status,
      403,
    );
  });

  it('restricts launch credentials to their learner and registration, and never lets them void', async () => {
    const learner = {
      objectType: 'Agent' as const,
      account: { homePage: 'http://localhost:3000', name: 'learner-42' },
    };
    const registration = randomUUID();
    const launch = await issueLaunchCredential(t.ctx.db, { actor: learner, registration, ttlSeconds: 600 });
    const s = (o: Record<string, unknown> = {}) => ({
      actor: learner,
      verb: { id: `${VERB}attempted` },
      object: { id: 'http://ex.org/act/launch' },
      context: { registration },
      ...o,
    });
    const ok = await post(s(), launch);
    assert.equal(ok.status, 200, ok.text);
    const otherActor = await post(s({ actor: agent(1) }), launch);
    assert.equal(otherActor.status, 403);
    assert.match(otherActor.body.error.message, /actor/);
    const otherReg = await post(s({ context: { registration: randomUUID() } }), launch);
    assert.equal(otherReg.status, 403);
    assert.match(otherReg.body.error.message, /registration/);
    const voiding = await post(
      s({ verb: { id: `${VERB}voided` }, object: { objectType: 'StatementRef', id: ok.body[0] } }),
      launch,
    );
    assert.equal(voiding.status, 403);
    assert.deepEqual(idsOf(await query({}, launch)), ok.body);
    // a later launch of the same learner (new credentials) reads the earlier statements too
    const relaunch = await issueLaunchCredential(t.ctx.db, { actor: learner, registration, ttlSeconds: 600 });
    assert.deepEqual(idsOf(await query({}, relaunch)), ok.body);
    assert.equal((await query({ statementId: ok.body[0] }, relaunch)).status, 200);
    assert.equal((await query({ statementId: ids.a1! }, relaunch)).status, 404);
  });
});
