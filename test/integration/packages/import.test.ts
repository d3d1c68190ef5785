import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from '../../../src/platform/db.js';
import type { Config } from '../../../src/platform/config.js';
import {
  PackageRefused,
  importPackage,
  registerPackageFormat,
  versionForAttempt,
  type PackageReport,
} from '../../../src/modules/packages/index.js';
import { scormPackageFormat, type ScormManifest } from '../../../src/modules/scorm/index.js';
import { createTestDatabase } from '../../helpers/db.js';
import { testConfig } from '../../helpers/config.js';
import { buildUser } from '../../factories.js';
import {
  EVIL_PATHS,
  declareSize,
  fixture,
  haveFixtures,
  listEntries,
  listFiles,
  minimalScorm12,
  needFixtures,
  packageRowCounts,
  renameEntry,
  scorm12Manifest,
  tempFile,
  zipBuffer,
} from './helpers.js';

registerPackageFormat(scormPackageFormat);

describe('packages: import', function () {
  this.timeout(60_000);
  let database: Database;
  let config: Config;
  let actor: { id: string; roles: string[] };

  before(async () => {
    database = await createTestDatabase();
    config = testConfig();
    const trainer = await buildUser(database.db, { roles: ['trainer'] });
    actor = { id: trainer.id, roles: trainer.roles };
  });
  after(async () => {
    await database.close();
    fs.rmSync(config.contentDir, { recursive: true, force: true });
  });

  const run = (file: string, o: { packageId?: string; fileName?: string; cfg?: Config } = {}) =>
    importPackage(
      { db: database.db, config: o.cfg ?? config },
      { zipPath: file, fileName: o.fileName ?? path.basename(file), actor, packageId: o.packageId },
    );

  /** Imports expecting a refusal; checks that no row and no file was kept. */
  async function refused(file: string, o: { fileName?: string; cfg?: Config } = {}): Promise<PackageReport> {
    const cfg = o.cfg ?? config;
    const before = await packageRowCounts(database.db);
    const filesBefore = listEntries(cfg.contentDir);
    const err = await run(file, o).then(
      () => assert.fail('the package was accepted'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof PackageRefused, `expected PackageRefused, got ${String(err)}`);
    assert.deepEqual(await packageRowCounts(database.db), before, 'no rows kept');
    assert.deepEqual(listEntries(cfg.contentDir), filesBefore, 'no files kept');
    assert.deepEqual(listFiles(path.join(cfg.contentDir, '.staging')), [], 'the staging folder is empty');
    return err.report;
  }
  const keys = (report: PackageReport) => report.errors.map((e) => e.key);

  it('imports a minimal generated SCORM 1.2 package under <id>/<version>', async () => {
    const file = tempFile(await minimalScorm12(), 'minimal.zip');
    const { package: pkg, version, report } = await run(file);
    assert.equal(pkg.format, 'scorm');
    assert.equal(pkg.title, 'Minimal course');
    assert.equal(version.version, 1);
    assert.equal(version.format_version, '1.2');
    assert.equal(version.storage_key, `${pkg.id}/1`);
    assert.match(version.sha256, /^[0-9a-f]{64}$/);
    assert.equal(version.size_bytes, fs.statSync(file).size);
    assert.deepEqual(listFiles(path.join(config.contentDir, pkg.id, '1')).sort(), [
      'img/dot.svg',
      'imsmanifest.xml',
      'index.html',
      'js/app.js',
    ]);
    assert.deepEqual(report.launchFiles, [{ path: 'index.html', exists: true, itemId: 'item_1' }]);
    const manifest = version.manifest as ScormManifest;
    assert.equal(manifest.organizations[0]!.items[0]!.launch, 'index.html?page=1');
    assert.equal(manifest.organizations[0]!.items[0]!.masteryScore, 80);
  });

  it('keeps earlier versions: an attempt stays on the version it started', async () => {
    const first = await run(tempFile(await minimalScorm12({ title: 'Versioned' })));
    const second = await run(tempFile(await minimalScorm12({ title: 'Versioned, revised' })), {
      packageId: first.package.id,
    });
    assert.equal(second.version.version, 2);
    assert.equal(second.package.id, first.package.id);
    assert.ok(fs.existsSync(path.join(config.contentDir, first.package.id, '1', 'index.html')));
    assert.ok(fs.existsSync(path.join(config.contentDir, first.package.id, '2', 'index.html')));
    assert.equal((await versionForAttempt(database.db, first.package.id, 1))!.version, 1);
    assert.equal((await versionForAttempt(database.db, first.package.id))!.version, 2);
    // The package's (editable) title stays; the new manifest's title is in the version.
    const row = await database.db('packages').where({ id: first.package.id }).first();
    assert.equal(row.title, 'Versioned');
    assert.equal(row.latest_version, 2);
  });

  it('refuses a new version by someone who may not edit the package', async () => {
    const first = await run(tempFile(await minimalScorm12()));
    const other = await buildUser(database.db, { roles: ['trainer'] });
    await assert.rejects(
      importPackage(
        { db: database.db, config },
        {
          zipPath: tempFile(await minimalScorm12()),
          fileName: 'x.zip',
          actor: other,
          packageId: first.package.id,
        },
      ),
      { name: 'NotFound' },
    );
  });

  it('refuses generated zips with "..", absolute, backslash and symlink entries, writing nothing anywhere', async () => {
    const base = await minimalScorm12({ extra: [{ name: 'xx/evil.txt', data: 'evil' }] });
    const dotdot = await refused(tempFile(renameEntry(base, 'xx/evil.txt', '../evil.txt')));
    assert.deepEqual(keys(dotdot), ['packages:errors.unsafePath']);
    assert.match(String(dotdot.errors[0]!.params!.names), /\.\.\/evil\.txt/);
    const abs = await refused(tempFile(renameEntry(base, 'xx/evil.txt', '/x/evil.txt')));
    assert.deepEqual(keys(abs), ['packages:errors.unsafePath']);
    const back = await refused(tempFile(renameEntry(base, 'xx/evil.txt', '..\\evil.txt')));
    assert.deepEqual(keys(back), ['packages:errors.unsafePath']);
    const link = await minimalScorm12({
      extra: [{ name: 'shared/passwd', data: '/etc/passwd', mode: 0o120777 }],
    });
    assert.deepEqual(keys(await refused(tempFile(link))), ['packages:errors.specialEntry']);
    assert.ok(!fs.existsSync(path.join(path.dirname(config.contentDir), 'evil.txt')));
  });

  it('refuses an entry that holds more than it declares, while streaming, with memory flat', async () => {
    const payload = Buffer.alloc(200 * 1024 * 1024); // 200 MiB of zeros, ~200 KiB deflated
    const zip = declareSize(
      await minimalScorm12({ extra: [{ name: 'media/big.bin', data: payload }] }),
      'media/big.bin',
      1000,
    );
    const file = tempFile(zip);
    global.gc?.();
    const rss = process.memoryUsage().rss;
    const report = await refused(file);
    assert.deepEqual(keys(report), ['packages:errors.sizeLie']);
    assert.ok(process.memoryUsage().rss - rss < 64 * 1024 * 1024, 'memory stays flat');
  });

  it('refuses too many entries and too many unpacked bytes from the declared sizes', async () => {
    const small = { ...config, packages: { ...config.packages, maxEntries: 3 } };
    assert.deepEqual(keys(await refused(tempFile(await minimalScorm12()), { cfg: small })), [
      'packages:errors.tooManyEntries',
    ]);
    const tight = { ...config, packages: { ...config.packages, maxUnpackedBytes: 100 } };
    assert.deepEqual(keys(await refused(tempFile(await minimalScorm12()), { cfg: tight })), [
      'packages:errors.unpackedTooLarge',
    ]);
  });

  it('names a missing launch file, a missing manifest, a non-zip and a DOCTYPE', async () => {
    const missing = await zipBuffer([
      { name: 'imsmanifest.xml', data: scorm12Manifest({ href: 'start.html' }) },
    ]);
    const report = await refused(tempFile(missing));
    assert.deepEqual(keys(report), ['packages:scorm.missingLaunchFile']);
    assert.equal(report.errors[0]!.params!.file, 'start.html');
    assert.deepEqual(keys(await refused(tempFile(await zipBuffer([{ name: 'index.html', data: 'x' }])))), [
      'packages:errors.noManifest',
    ]);
    assert.deepEqual(keys(await refused(tempFile(Buffer.from('not a zip at all')))), [
      'packages:errors.notZip',
    ]);
    const xxe = `<?xml version="1.0"?><!DOCTYPE manifest [<!ENTITY x SYSTEM "file:///etc/passwd">]><manifest>&x;</manifest>`;
    assert.deepEqual(
      keys(await refused(tempFile(await zipBuffer([{ name: 'imsmanifest.xml', data: xxe }])))),
      ['packages:scorm.doctype'],
    );
  });

  it('recognises cmi5 and H5P packages and says their import is not available yet', async () => {
    const cmi5 = await refused(tempFile(await zipBuffer([{ name: 'cmi5.xml', data: '<courseStructure/>' }])));
    assert.deepEqual(keys(cmi5), ['packages:errors.formatNotYet']);
    assert.equal(cmi5.format, 'cmi5');
    const h5p = await refused(tempFile(await zipBuffer([{ name: 'h5p.json', data: '{}' }]), 'x.h5p'));
    assert.equal(h5p.format, 'h5p');
    const notH5p = await refused(
      tempFile(await zipBuffer([{ name: 'content/content.json', data: '{}' }]), 'y.h5p'),
    );
    assert.deepEqual(keys(notH5p), ['packages:errors.notH5p']);
  });

  describe('the shared fixtures', () => {
    before(function () {
      needFixtures(this);
    });

    const good: [string, string, number][] = [
      ['scorm12/RuntimeBasicCalls_SCORM12.zip', '1.2', 1],
      ['scorm12/RuntimeMinimumCalls_SCORM12.zip', '1.2', 18],
      ['scorm2004/ContentPackagingSingleSCO_SCORM20042ndEdition.zip', '2004 2nd', 1],
      ['scorm2004/RuntimeBasicCalls_SCORM20043rdEdition.zip', '2004 3rd', 1],
      ['scorm2004/RunTimeAdvancedCalls_SCORM20043rdEdition.zip', '2004 3rd', 1],
      ['scorm2004/SequencingForcedSequential_SCORM20043rdEdition.zip', '2004 3rd', 5],
      ['scorm2004/SequencingSimpleRemediation_SCORM20043rdEdition.zip', '2004 3rd', 8],
      ['scorm2004/SequencingPostTestRollup4thEd_SCORM20044thEdition.zip', '2004 4th', 5],
    ];
    for (const [file, formatVersion, launches] of good) {
      it(`imports ${file} as SCORM ${formatVersion}`, async () => {
        const { package: pkg, version, report } = await run(fixture(file));
        assert.equal(version.format_version, formatVersion);
        assert.deepEqual(report.errors, []);
        assert.equal(report.launchFiles.length, launches);
        assert.ok(report.launchFiles.every((f) => f.exists));
        for (const f of report.launchFiles)
          assert.ok(fs.existsSync(path.join(config.contentDir, pkg.id, '1', f.path)));
        assert.ok(report.organizations[0]!.items.length >= 1);
        assert.match(pkg.title, /^Golf Explained/);
      });
    }

    const broken: [string, string][] = [
      ['malformed/01_scorm12_missing-imsmanifest.zip', 'packages:errors.noManifest'],
      ['malformed/02_scorm12_manifest-references-missing-file.zip', 'packages:scorm.missingLaunchFile'],
      ['malformed/03_scorm12_zip-slip-traversal.zip', 'packages:errors.unsafePath'],
      ['malformed/04_scorm12_absolute-path-entry.zip', 'packages:errors.unsafePath'],
      ['malformed/05_scorm12_zip-bomb-2GiB-zeros.zip', 'packages:errors.bomb'],
      ['malformed/06_not-a-zip_jpeg-renamed.zip', 'packages:errors.notZip'],
      ['malformed/07_scorm12_xxe-external-entity-manifest.zip', 'packages:scorm.doctype'],
      ['malformed/08_h5p_missing-h5p-json.h5p', 'packages:errors.notH5p'],
    ];
    for (const [file, key] of broken) {
      it(`refuses ${file} with ${key}, leaving nothing behind`, async () => {
        global.gc?.();
        const rss = process.memoryUsage().rss;
        const report = await refused(fixture(file));
        assert.deepEqual(keys(report), [key]);
        assert.ok(process.memoryUsage().rss - rss < 64 * 1024 * 1024, 'memory stays flat');
        for (const evil of EVIL_PATHS) assert.ok(!fs.existsSync(evil), `${evil} must not exist`);
        assert.ok(!JSON.stringify(report).includes('root:'), 'nothing of /etc/passwd');
      });
    }

    it('names the missing launch file of fixture 02', async () => {
      const report = await refused(fixture('malformed/02_scorm12_manifest-references-missing-file.zip'));
      assert.equal(report.errors[0]!.params!.file, 'shared/launchpage.html');
    });

    it('accepts fixture 09 (schemaversion "2004 5th Edition") as 4th edition with a warning', async () => {
      const { version, report } = await run(fixture('malformed/09_scorm2004_unknown-schemaversion.zip'));
      assert.equal(version.format_version, '2004 4th');
      assert.ok(report.warnings.some((w) => w.key === 'packages:scorm.unknownSchemaversion'));
    });

    it('accepts fixture 10 (inside one top folder) with a notice, the folder taken as the root', async () => {
      const { package: pkg, report } = await run(fixture('malformed/10_scorm12_manifest-in-subfolder.zip'));
      assert.deepEqual(report.notices, [
        { key: 'packages:notices.topFolder', params: { folder: 'RuntimeBasicCalls_SCORM12' } },
      ]);
      assert.ok(fs.existsSync(path.join(config.contentDir, pkg.id, '1', 'imsmanifest.xml')));
    });

    it('stores nothing of /etc/passwd for the XXE fixture', async () => {
      await refused(fixture('malformed/07_scorm12_xxe-external-entity-manifest.zip'));
      const rows = await database
        .db('package_versions')
        .select(database.db.raw('manifest::text as m, report::text as r'));
      const passwd = fs.existsSync('/etc/passwd')
        ? fs.readFileSync('/etc/passwd', 'utf8').split('\n')[0]!
        : 'root:x:0:0';
      for (const row of rows as { m: string; r: string }[])
        assert.ok(!row.m.includes(passwd) && !row.r.includes(passwd));
    });
  });

  if (!haveFixtures) it('skips the fixture tests: ../shared/fixtures is missing');
});
