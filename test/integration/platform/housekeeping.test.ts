import assert from 'node:assert/strict';
import type { Database } from '../../../src/platform/db.js';
import { runChores } from '../../../src/platform/housekeeping.js';
import { purgeExpiredSessions } from '../../../src/platform/http/session.js';
import { createLogger } from '../../../src/platform/logger.js';
import { accountChores } from '../../../src/modules/accounts/index.js';
import { buildUser } from '../../factories.js';
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

  it('deletes mailed links a day after they were used or expired, and sign-in failures past their window', async () => {
    const user = await buildUser(d.db);
    const token = (hash: string, expires: string, used: string | null) => ({
      user_id: user.id,
      purpose: 'password_reset',
      token_hash: hash,
      expires_at: d.db.raw(`now() + interval '${expires}'`),
      used_at: used ? d.db.raw(`now() - interval '${used}'`) : null,
    });
    await d
      .db('one_time_tokens')
      .insert([
        token('live', '1 hour', null),
        token('used-now', '1 hour', '1 minute'),
        token('used-long-ago', '1 hour', '2 days'),
        token('expired-long-ago', '-2 days', null),
      ]);
    const failure = (email: string, age: string) => ({
      email,
      ip: '192.0.2.1',
      created_at: d.db.raw(`now() - interval '${age}'`),
    });
    await d
      .db('sign_in_failures')
      .insert([failure('recent@example.org', '1 hour'), failure('old@example.org', '3 days')]);

    await runChores(d.db, createLogger('silent'), accountChores({ signInWindowMs: 15 * 60_000 }));
    const hashes = (await d.db('one_time_tokens').select('token_hash')).map((r) => r.token_hash).sort();
    assert.deepEqual(hashes, ['live', 'used-now']);
    const failures = (await d.db('sign_in_failures').select('email')).map((r) => r.email);
    assert.deepEqual(failures, ['recent@example.org']);
  });
});
