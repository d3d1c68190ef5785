import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { openDatabase } from '../../../src/platform/db.js';
import { createTestDatabase, usingServer } from '../../helpers/db.js';

const cli = (args: string[], env: Record<string, string>) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    encoding: 'utf8',
    env: { ...process.env, LOG_LEVEL: 'silent', ...env },
  });

describe('command line: users', function () {
  // Each command is a new process (tsx + database open); on a loaded 2-core machine that is slow.
  this.timeout(600_000);
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;

  before(async () => {
    if (usingServer()) {
      const d = await createTestDatabase();
      await d.close();
      env = { DATABASE_URL: d.url! };
      cleanup = async () => {};
    } else {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wch-cli-'));
      env = { DATA_DIR: dir };
      cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  after(() => cleanup());

  it('creates a user with roles and lists it', () => {
    const made = cli(
      [
        'create-user',
        '--email',
        'cli@example.org',
        '--name',
        'Cli User',
        '--roles',
        'learner,trainer',
        '--password',
        'a long password',
      ],
      env,
    );
    assert.equal(made.status, 0, made.stderr);
    assert.match(made.stdout, /Created cli@example.org \(learner, trainer\)/);
    const list = cli(['list-users'], env);
    assert.equal(list.status, 0, list.stderr);
    assert.match(list.stdout, /cli@example.org\tCli User\tlearner,trainer\tactive/);
  });

  it('exits non-zero with a clear message on bad input', () => {
    // The address of the first test in another case: addresses are compared without case.
    const dup = cli(
      ['create-user', '--email', 'CLI@Example.org', '--name', 'X', '--password', 'a long password'],
      env,
    );
    assert.equal(dup.status, 1);
    assert.match(dup.stderr, /email: An account with this email address exists already/);
    const role = cli(
      [
        'create-user',
        '--email',
        'r@example.org',
        '--name',
        'X',
        '--roles',
        'king',
        '--password',
        'a long password',
      ],
      env,
    );
    assert.equal(role.status, 1);
    assert.match(role.stderr, /roles: Choose a known role/);
    const missing = cli(['create-user', '--email', 'm@example.org'], env);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /--name is required/);
    const unknown = cli(['make-coffee'], env);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /Unknown command "make-coffee"/);
  });

  it('says plainly when the server holds the embedded database', async () => {
    // The lock exists only on the embedded database, so this runs on one whatever TEST_DATABASE_URL says.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wch-cli-lock-'));
    const held = await openDatabase({ dataDir: dir });
    try {
      const res = cli(['list-users'], { DATA_DIR: dir, DATABASE_URL: '' });
      assert.equal(res.status, 1);
      assert.match(res.stderr, /in use by another process.*Stop that process/s);
    } finally {
      await held.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
