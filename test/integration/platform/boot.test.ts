import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { createTestDatabase, usingServer } from '../../helpers/db.js';
import { freePort } from '../../helpers/browser.js';

interface Booted {
  stdout: string;
  exit: Promise<number | null>;
  stop(): void;
}

async function boot(env: Record<string, string>): Promise<Booted> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (stdout.includes('WorkCoopHub is running at')) resolve();
    });
    void exit.then((code) => reject(new Error(`exited with ${code}: ${stderr}`)));
  });
  return {
    get stdout() {
      return stdout;
    },
    exit,
    stop: () => child.kill('SIGINT'),
  };
}

describe('starting and stopping the platform', function () {
  this.timeout(180_000);
  let env: Record<string, string>;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wch-boot-'));
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  before(async () => {
    const port = await freePort();
    env = { PORT: String(port), CONTENT_PORT: String(await freePort()), DATA_DIR: dataDir };
    if (usingServer()) {
      const d = await createTestDatabase();
      await d.close();
      // An empty database of its own: drop what the template migrated, so the start migrates and seeds.
      env.DATABASE_URL = d.url!;
      const { openDatabase } = await import('../../../src/platform/db.js');
      const raw = await openDatabase({ databaseUrl: d.url! });
      await raw.db.raw('drop schema public cascade; create schema public');
      await raw.close();
    }
  });

  it('migrates, seeds demo accounts once with their passwords, serves, and stops cleanly on Ctrl-C', async () => {
    const first = await boot(env);
    assert.match(first.stdout, /Demo accounts/);
    for (const role of ['admin', 'coordinator', 'trainer', 'learner']) {
      assert.match(first.stdout, new RegExp(`${role}\\s+${role}@demo\\.workcoophub\\.test\\s+\\S{8,}`));
    }
    const health = await fetch(`http://localhost:${env.PORT}/healthz`);
    assert.deepEqual(await health.json(), { status: 'ok', database: 'ok' });
    if (!usingServer()) assert.ok(fs.existsSync(path.join(dataDir, 'db.lock')));
    first.stop();
    assert.equal(await first.exit, 0);
    assert.equal(fs.existsSync(path.join(dataDir, 'db.lock')), false, 'lock released');

    const second = await boot(env);
    assert.doesNotMatch(second.stdout, /Demo accounts/, 'seeded only once');
    second.stop();
    assert.equal(await second.exit, 0);
  });

  it('refuses to start with an invalid setting, naming it', async () => {
    await assert.rejects(
      boot({ ...env, PORT: 'not-a-port' }),
      /exited with 1: Invalid configuration:\n {2}PORT/,
    );
  });
});
