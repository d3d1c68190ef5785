import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { openDatabase } from '../../../src/platform/db.js';
import { migrateLatest } from '../../../src/platform/migrate.js';
import { seedDemo } from '../../../src/seed.js';
import { createTestDatabase, usingServer } from '../../helpers/db.js';
import { unzip } from './packages.js';

const cli = (args: string[], env: Record<string, string>) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    encoding: 'utf8',
    env: { ...process.env, LOG_LEVEL: 'silent', ...env },
  });

describe('command line: export-course, on the seeded demo course', function () {
  this.timeout(180_000);
  let env: Record<string, string>;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wch-cli-authoring-'));
  const contentDir = path.join(dir, 'content');

  before(async () => {
    let database;
    if (usingServer()) {
      const d = await createTestDatabase();
      await d.close();
      env = { DATABASE_URL: d.url!, CONTENT_DIR: contentDir };
      database = await openDatabase({ databaseUrl: d.url! });
    } else {
      env = { DATA_DIR: path.join(dir, 'data'), CONTENT_DIR: contentDir };
      database = await openDatabase({ dataDir: env.DATA_DIR! });
      await migrateLatest(database.db);
    }
    try {
      await seedDemo(database.db, { contentDir, publicUrl: 'http://localhost:3000' });
      const course = await database.db('courses').where({ slug: 'getting-started' }).first();
      assert.equal(course.status, 'published');
      const [activity] = await database.db('activities').where({ course_id: course.id });
      assert.equal(activity.kind, 'authored');
      const trainer = await database.db('users').where({ email: 'trainer@demo.workcoophub.test' }).first();
      assert.equal(course.owner_id, trainer.id);
    } finally {
      await database.close();
    }
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  // Each run opens the database afresh (~15 s on PGlite): two formats here; all four are built in export.test.ts.
  for (const format of ['scorm12', 'cmi5']) {
    it(`writes the ${format} export of the published version`, async () => {
      const out = path.join(dir, `gs-${format}.zip`);
      const res = cli(['export-course', 'getting-started', '--format', format, '--out', out], env);
      assert.equal(res.status, 0, res.stderr);
      assert.match(res.stdout, new RegExp(`Wrote ${format} export of "Getting started" version 1`));
      const files = await unzip(fs.readFileSync(out));
      assert.ok(files.has('index.html'));
      assert.ok(
        [...files.keys()].some((f) => f.endsWith('.png')),
        'the demo picture',
      );
      const html = files.get('index.html')!.toString();
      assert.match(html, /Three questions/);
      if (format === 'scorm12' || format === 'scorm2004') assert.ok(files.has('imsmanifest.xml'));
      if (format === 'cmi5') assert.ok(files.has('cmi5.xml'));
    });
  }

  it('explains a wrong slug', () => {
    const res = cli(
      ['export-course', 'no-such-course', '--format', 'html', '--out', path.join(dir, 'x.zip')],
      env,
    );
    assert.equal(res.status, 1);
    assert.match(res.stderr, /No authored course with the slug "no-such-course"/);
  });
});
