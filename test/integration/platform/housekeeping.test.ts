import assert from 'node:assert/strict';
import type { Database } from '../../../src/platform/db.js';
import { runChores } from '../../../src/platform/housekeeping.js';
import { purgeExpiredSessions } from '../../../src/platform/http/session.js';
import { createLogger } from '../../../src/platform/logger.js';
import { createTestDatabase } from '../../helpers/db.js';

describe('housekeeping', () => {
  let d: Database;
  beforeEach(async () => {
    d = await createTestDatabase();
  });
  afterEach(() => d.close());

  const session = (sid: string, expired: string) =>
    d.db('sessions').insert({
      sid,
      sess: JSON.stringify({ cookie: {} }),
      expired: d.db.raw(`now() + interval '${expired}'`),
    });

  it('deletes expired sessions and keeps live ones', async () => {
    await session('old', '-1 minute');
    await session('live', '1 hour');
    await purgeExpiredSessions(d.db);
    assert.deepEqual(
      (await d.db('sessions').select('sid')).map((r) => r.sid),
      ['live'],
    );
  });

  it('runs every chore even when one fails', async () => {
    await session('old', '-1 minute');
    const ran: string[] = [];
    await runChores(d.db, createLogger('silent'), [
      { name: 'broken', run: () => Promise.reject(new Error('boom')) },
      {
        name: 'sessions',
        run: async (db) => ran.push('sessions', String(await purgeExpiredSessions(db).then(() => 'done'))),
      },
    ]);
    assert.deepEqual(ran, ['sessions', 'done']);
    assert.equal((await d.db('sessions').count({ n: '*' }))[0]!.n, 0);
  });
});
