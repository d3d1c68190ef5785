import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { openDatabase } from '../../../src/platform/db.js';
import { createTestDatabase, usingServer } from '../../helpers/db.js';
import { buildCourse } from '../courses/fixtures.js';
import { listFiles, minimalScorm12, tempFile, zipBuffer } from './helpers.js';
import { h5pPackage, helloLibrary } from '../h5p/helpers.js';

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
    for (const [email, name, roles] of [
      ['pkg-admin@example.org', 'Ada Admin', 'admin'],
      ['pkg-trainer@example.org', 'Tom Trainer', 'trainer'],
    ]) {
      const made = cli(
        [
          'create-user',
          '--email',
          email!,
          '--name',
          name!,
          '--roles',
          roles!,
          '--password',
          'a long enough password',
        ],
        env,
      );
      assert.equal(made.status, 0, made.stderr);
    }
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

  it('adds the package to a course with --course, every SCO tracked by progress at once', async () => {
    const open = () =>
      usingServer()
        ? openDatabase({ databaseUrl: env.DATABASE_URL })
        : openDatabase({ dataDir: env.DATA_DIR });
    let d = await open();
    const trainer = (await d.db('users').where({ email: 'pkg-trainer@example.org' }).first('id')) as {
      id: string;
    };
    const course = await buildCourse(d.db, { ownerId: trainer.id, title: 'Shell course', pages: 0 });
    await d.close();
    const res = cli(
      ['import-package', tempFile(await minimalScorm12({ title: 'Into a course' })), '--course', course.slug],
      env,
    );
    assert.equal(res.status, 0, res.stderr);
    assert.match(res.stdout, /Added as an activity of the course "Shell course"/);
    const id = /package id: ([0-9a-f-]{36})/.exec(res.stdout)![1]!;
    d = await open();
    try {
      const activity = (await d
        .db('activities')
        .where({ course_id: course.id, kind: 'scorm' })
        .first('id')) as {
        id: string;
      };
      const iris = (await d
        .db('course_activity_iris')
        .where({ activity_id: activity.id })
        .orderBy('iri')
        .select('iri', 'decides')) as { iri: string; decides: boolean }[];
      // the package as a whole, which decides the activity, and its one SCO
      assert.equal(iris.length, 2);
      assert.match(iris[0]!.iri, new RegExp(`/xapi/activities/scorm/${id}$`));
      assert.equal(iris[0]!.decides, true);
      assert.match(iris[1]!.iri, new RegExp(`/xapi/activities/scorm/${id}/`));
      assert.equal(iris[1]!.decides, false);
    } finally {
      await d.close();
    }
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

  it('imports an .h5p as an admin, installing its library', async () => {
    const res = cli(
      ['import-package', tempFile(await h5pPackage({ title: 'Hello from the shell' }), 'hello.h5p')],
      env,
    );
    assert.equal(res.status, 0, res.stderr);
    assert.match(res.stdout, /Format: H5P/);
    assert.match(res.stdout, /Installs a new library, shared by all H5P content: WCH\.Hello 1\.0/);
    const id = /package id: ([0-9a-f-]{36})/.exec(res.stdout)?.[1];
    assert.ok(id);
    assert.ok(fs.existsSync(path.join(contentDir, id, '1', 'content', 'content.json')));
    assert.ok(fs.existsSync(path.join(contentDir, 'h5p-libraries', 'WCH.Hello-1.0')));
  });

  it('refuses an .h5p with a new library from a trainer, naming who can install it, and keeps nothing', async () => {
    const before = listFiles(contentDir).filter((f) => !f.startsWith('.'));
    const other = await h5pPackage({ title: 'Other', main: helloLibrary({ machineName: 'WCH.Other' }) });
    const res = cli(
      ['import-package', tempFile(other, 'other.h5p'), '--owner', 'pkg-trainer@example.org'],
      env,
    );
    assert.equal(res.status, 1);
    assert.match(res.stderr, /needs a library that is not installed yet: WCH\.Other 1\.0/);
    assert.match(res.stderr, /ask Ada Admin to upload this package first/);
    assert.match(res.stderr, /Nothing was kept/);
    assert.deepEqual(
      listFiles(contentDir).filter((f) => !f.startsWith('.')),
      before,
    );
  });
});
