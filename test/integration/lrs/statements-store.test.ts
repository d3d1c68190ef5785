import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Database } from '../../../src/platform/db.js';
import type { LrsAuth } from '../../../src/modules/lrs/lrs.types.js';
import { parseQuery, queryStatements } from '../../../src/modules/lrs/statements.query.js';
import {
  onStatementsStored,
  storeStatements,
  type StoredStatement,
} from '../../../src/modules/lrs/statements.service.js';
import { createTestDatabase } from '../../helpers/db.js';

const auth: LrsAuth = {
  clientId: 'test',
  authority: { objectType: 'Agent', account: { homePage: 'http://localhost:3000', name: 'platform' } },
  scopes: new Set(['all']),
};
const stmt = (o: Record<string, unknown> = {}) => ({
  actor: { mbox: 'mailto:store@example.org' },
  verb: { id: 'http://adlnet.gov/expapi/verbs/completed' },
  object: { id: 'http://ex.org/act/store' },
  context: { registration: randomUUID(), contextActivities: { category: { id: 'http://ex.org/profile' } } },
  ...o,
});

describe('storeStatements (the service other modules call)', () => {
  let d: Database;
  before(async function () {
    this.timeout(120_000);
    d = await createTestDatabase();
  });
  after(() => d?.close());

  it('writes a batch with its related rows in one statement and returns ids in order', async () => {
    const ids = await storeStatements(d.db, [stmt(), stmt({ id: randomUUID() }), stmt()], auth);
    assert.equal(ids.length, 3);
    const rows = await d
      .db('statements')
      .whereIn('id', ids)
      .select('id', 'verb_id', 'registration', 'actor_key');
    assert.equal(rows.length, 3);
    assert.equal(rows[0]!.actor_key, 'mbox:mailto:store@example.org');
    const related = await d
      .db('statement_related')
      .whereIn('seq', d.db('statements').whereIn('id', ids).select('seq'));
    // agent, related agents (actor, authority), activity, related activities (object, category), verb, registration
    assert.equal(related.length, 3 * 8);
  });

  it('runs projection hooks in the caller transaction, and rolls back with it', async () => {
    const seen: StoredStatement[] = [];
    const off = onStatementsStored(async (trx, stored) => {
      seen.push(...stored);
      await trx.raw('select 1');
    });
    try {
      const id = randomUUID();
      await assert.rejects(
        d.db.transaction(async (trx) => {
          await storeStatements(trx, [stmt({ id })], auth);
          throw new Error('the caller fails after storing');
        }),
      );
      assert.equal(seen.length, 1);
      assert.equal(await d.db('statements').where({ id }).first(), undefined);
      await d.db.transaction((trx) => storeStatements(trx, [stmt({ id })], auth));
      assert.ok(await d.db('statements').where({ id }).first());
      // another statement under the same id is refused and changes nothing
      await storeStatements(d.db, [stmt({ id, context: undefined })], auth).catch(() => undefined);
      const count = await d.db('statements').where({ id }).count({ n: '*' }).first();
      assert.equal(Number(count?.n), 1);
    } finally {
      off();
    }
  });
  it('calls a hook that tracks registrations only for batches with one of them, in a transaction', async () => {
    await d.db.schema.createTable('tracked_registrations', (t) => t.uuid('registration').primary());
    const tracked = randomUUID();
    await d.db('tracked_registrations').insert({ registration: tracked });
    const seen: string[] = [];
    const off = onStatementsStored(
      async (trx, stored) => {
        assert.ok(trx.isTransaction);
        seen.push(...stored.map((s) => s.id));
      },
      { registrationsIn: { table: 'tracked_registrations', column: 'registration' } },
    );
    try {
      const untracked = await storeStatements(d.db, [stmt(), stmt()], auth);
      assert.deepEqual(seen, []);
      assert.equal((await d.db('statements').whereIn('id', untracked)).length, 2);
      const one = await storeStatements(d.db, [stmt({ context: { registration: tracked } })], auth);
      assert.deepEqual(seen, one);
      // one tracked statement in a batch: the hook sees the whole batch (the registration in upper case too)
      const two = await storeStatements(
        d.db,
        [stmt(), stmt({ context: { registration: tracked.toUpperCase() } })],
        auth,
      );
      assert.deepEqual(seen, [...one, ...two]);
      assert.equal((await d.db('statements').whereIn('id', [...one, ...two])).length, 3);
    } finally {
      off();
    }
  });

  it("gives a StatementRef statement its target's rows once each, found by a query with three filters", async () => {
    const id = randomUUID();
    const target = stmt({ id, object: { id: 'http://ex.org/act/ref-target' } });
    await storeStatements(d.db, [target], auth);
    const [ref] = await storeStatements(
      d.db,
      [
        {
          actor: target.actor,
          verb: { id: 'http://ex.org/verbs/commented' },
          object: { objectType: 'StatementRef', id },
        },
      ],
      auth,
    );
    const rows = (await d
      .db('statement_related as r')
      .join('statements as s', 's.seq', 'r.seq')
      .where('s.id', ref)
      .select('r.kind', 'r.ident')) as { kind: number; ident: string }[];
    const pairs = rows.map((r) => `${r.kind} ${r.ident}`);
    // own: agent, related agents (actor, authority), verb; inherited besides: activity, related activities
    // (object, category), the target's verb and registration; actor and authority are not repeated
    assert.equal(new Set(pairs).size, pairs.length);
    assert.equal(pairs.length, 9);
    const page = await queryStatements(
      d.db,
      parseQuery({
        agent: JSON.stringify(target.actor),
        verb: 'http://adlnet.gov/expapi/verbs/completed',
        activity: 'http://ex.org/act/ref-target',
      }),
      null,
    );
    const found = page.rows.map((r) => (JSON.parse(r.text) as { id: string }).id);
    assert.deepEqual(found, [ref, id]);
  });
});
