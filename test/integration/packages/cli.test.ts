import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createTestDatabase, usingServer } from '../../helpers/db.js';
import { listFiles, minimalScorm12, tempFile, zipBuffer } from './helpers.js';

const cli = (args: string[], env: Record<string, string>) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    encoding: 'utf8',
    env: { ...process.env, LOG_LEVEL: 'silent', ...env },
  });

describe('command line: import-package', function () {
  this.timeout(180_000);
  let env: Record<string, string>;
  let contentDir: string;

  before(async () => {
    contentDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wch-cli-content-'));
    if (usingServer()) {
      const d = await createTestDatabase();
      await d.close();
      env = { DATABASE_URL: d.url!, CONTENT_DIR: contentDir };
    } else env = { DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'wch-cli-')), CONTENT_DIR: contentDir };
    const made = cli(
      [
        'create-user',
        '--email',
        'pkg-admin@example.org',
        '--name',
        'Admin',
        '--roles',
        'admin',
        '--password',
        'a long enough password',
      ],
      env,
    );
    assert.equal(made.status, 0, made.stderr);
  });
  after(() => {
    fs.rmSync(contentDir, { recursive: true, force: true });
    if (env.DATA_DIR) fs.rmSync(env.DATA_DIR, { recursive: true, force: true });
  });

  it('imports a package, printing the report and the package id', async () => {
    const res = cli(['import-package', tempFile(await minimalScorm12({ title: 'From the shell' }))], env);
    assert.equal(res.status, 0, res.stderr);
    assert.match(res.stdout, /Format: SCORM 1\.2/);
    assert.match(res.stdout, /The only lesson \[sco\] → index\.html\?page=1/);
    const id = /package id: ([0-9a-f-]{36})/.exec(res.stdout)?.[1];
    assert.ok(id);
    assert.ok(fs.existsSync(path.join(contentDir, id, '1', 'index.html')));
  });

  it('exits non-zero with the report and keeps nothing when the package is refused', async () => {
    const before = listFiles(contentDir).filter((f) => !f.startsWith('.'));
    const res = cli(['import-package', tempFile(await zipBuffer([{ name: 'readme.txt', data: 'x' }]))], env);
    assert.equal(res.status, 1);
    assert.match(
      res.stderr,
      /not a SCORM package \(no imsmanifest\.xml, cmi5\.xml or h5p\.json found at the root\)/,
    );
    assert.match(res.stderr, /Nothing was kept/);
    assert.deepEqual(
      listFiles(contentDir).filter((f) => !f.startsWith('.')),
      before,
    );
    assert.equal(cli(['import-package', 'no/such/file.zip'], env).status, 1);
  });
});
