import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { DatabaseUnavailable, openDatabase } from '../../../src/platform/db.js';
import { migrateLatest } from '../../../src/platform/migrate.js';
import { createTestDatabase } from '../../helpers/db.js';

describe('database', () => {
  it('migrates, and a second migration run changes nothing', async () => {
    const d = await createTestDatabase();
    try {
      const count = async () => Number((await d.db('knex_migrations').count({ n: '*' }))[0]!.n);
      const before = await count();
      assert.ok(before > 0);
      await migrateLatest(d.db);
      assert.equal(await count(), before);
      assert.ok(await d.db.schema.hasTable('users'));
      assert.ok(await d.db.schema.hasTable('sessions'));
    } finally {
      await d.close();
    }
  });

  describe('embedded (PGlite) in a folder', function () {
    this.timeout(60_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wch-lock-'));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('keeps a lock file while open, refuses a second opener, and releases it on close', async () => {
      const first = await openDatabase({ dataDir: dir });
      try {
        assert.equal(fs.readFileSync(path.join(dir, 'db.lock'), 'utf8'), String(process.pid));
        // Another process on the same folder: refused with a clear message.
        const other = spawnSync(
          process.execPath,
          [
            '--import',
            'tsx',
            '-e',
            `import('./src/platform/db.ts').then(m => m.openDatabase({ dataDir: ${JSON.stringify(dir)} })).then(() => process.exit(0), e => { console.error(e.message); process.exit(3); })`,
          ],
          { encoding: 'utf8' },
        );
        assert.equal(other.status, 3);
        assert.match(other.stderr, /in use by another process .*Stop that process .*or set DATABASE_URL/s);
      } finally {
        await first.close();
      }
      assert.equal(fs.existsSync(path.join(dir, 'db.lock')), false);
      const again = await openDatabase({ dataDir: dir });
      await again.close();
    });

    it('takes over the lock of a process that died', async () => {
      fs.writeFileSync(path.join(dir, 'db.lock'), '999999');
      const d = await openDatabase({ dataDir: dir });
      await d.close();
    });
  });

  it('stops with one clear line when the PostgreSQL server of DATABASE_URL cannot be reached', async () => {
    // Port 1 on the loopback: nothing listens there, so the connection is refused at once.
    await assert.rejects(
      openDatabase({ databaseUrl: 'postgres://someone:hunter2@127.0.0.1:1/learning' }),
      (err: unknown) => {
        assert.ok(err instanceof DatabaseUnavailable);
        assert.match(
          err.message,
          /^Could not connect to the PostgreSQL server of DATABASE_URL \(127\.0\.0\.1:1, database learning\): .*ECONNREFUSED/,
        );
        assert.doesNotMatch(err.message, /hunter2/);
        return true;
      },
    );
  });
});
