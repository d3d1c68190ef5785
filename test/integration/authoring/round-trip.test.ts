import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildUser } from '../../factories.js';
import { createTestDatabase } from '../../helpers/db.js';
import { testConfig } from '../../helpers/config.js';
import type { Database } from '../../../src/platform/db.js';
import { createI18n } from '../../../src/platform/i18n.js';
import { importPackage, registerPackageFormat } from '../../../src/modules/packages/index.js';
import { scormPackageFormat } from '../../../src/modules/scorm/index.js';
import * as repo from '../../../src/modules/authoring/authoring.repo.js';
import { diskFileStore } from '../../../src/modules/authoring/files.storage.js';
import { exportPublished } from '../../../src/modules/authoring/export.service.js';
import { zipToBuffer } from '../../../src/modules/authoring/export/package.js';
import { asSession, buildAuthoredCourse } from './fixtures.js';

registerPackageFormat(scormPackageFormat);

// Export → import back into the platform: the importer accepts both SCORM exports without a warning. A learner
// takes the imported packages in the SCORM player in test/e2e/authoring/platform-round-trip.test.ts.
describe('authored course exports import back into the platform', function () {
  this.timeout(60_000);
  let d: Database;
  const config = testConfig();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wch-roundtrip-'));
  before(async () => {
    d = await createTestDatabase();
  });
  after(async () => {
    await d.close();
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(config.contentDir, { recursive: true, force: true });
  });

  for (const format of ['scorm12', 'scorm2004'] as const) {
    it(`${format}: imports with no error or specific warning, launching index.html`, async () => {
      const owner = await buildUser(d.db, { roles: ['trainer'] });
      const store = diskFileStore(config.contentDir);
      const built = await buildAuthoredCourse(d.db, store, asSession(owner), {
        publish: config,
        title: `Round trip ${format}`,
      });
      const course = (await repo.findAuthoredCourse(d.db, built.course.id))!;
      const { files } = await exportPublished(
        { db: d.db, config, i18n: await createI18n() },
        store,
        course,
        format,
      );
      const zipPath = path.join(dir, `${format}.zip`);
      fs.writeFileSync(zipPath, await zipToBuffer(files));
      const result = await importPackage(
        { db: d.db, config },
        { zipPath, fileName: `${format}.zip`, actor: { id: owner.id, roles: owner.roles } },
      );
      assert.deepEqual(result.report.errors, []);
      // Every SCORM 1.2 package gets the general note on the 4,096-character suspend data limit.
      const expected = format === 'scorm12' ? [{ key: 'packages:scorm.suspendData12' }] : [];
      assert.deepEqual(result.report.warnings, expected);
      assert.equal(result.report.title, `Round trip ${format}`);
      assert.equal(result.package.format, 'scorm');
      assert.match(result.report.formatVersion ?? '', format === 'scorm12' ? /1\.2/ : /2004/);
      assert.ok(JSON.stringify(result.report.launchFiles).includes('index.html'));
    });
  }
});
