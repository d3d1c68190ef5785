import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from '../../../src/platform/db.js';
import type { Config } from '../../../src/platform/config.js';
import {
  PackageRefused,
  importPackage,
  registerPackageFormat,
  type PackageReport,
} from '../../../src/modules/packages/index.js';
import { h5pPackageFormat } from '../../../src/modules/h5p/index.js';
import { setInstaller } from '../../../src/modules/h5p/libraries.repo.js';
import { createI18n, type TFunction } from '../../../src/platform/i18n.js';
import { createTestDatabase } from '../../helpers/db.js';
import { testConfig } from '../../helpers/config.js';
import { buildUser } from '../../factories.js';
import { fixture, listFiles, needFixtures, tempFile } from '../packages/helpers.js';
import { h5pPackage, helloLibrary } from './helpers.js';

registerPackageFormat(h5pPackageFormat);

interface Actor {
  id: string;
  roles: string[];
  name: string;
}

describe('h5p: import', function () {
  this.timeout(120_000);
  let database: Database;
  let config: Config;
  let admin: Actor;
  let trainer: Actor;
  let t: TFunction;

  before(async () => {
    database = await createTestDatabase();
    config = testConfig();
    admin = await buildUser(database.db, { roles: ['admin'], name: 'Ada Admin' });
    trainer = await buildUser(database.db, { roles: ['trainer'], name: 'Tom Trainer' });
    t = (await createI18n()).getFixedT('en');
  });
  after(async () => {
    await database.close();
    fs.rmSync(config.contentDir, { recursive: true, force: true });
  });

  const db = () => database.db;
  const run = (file: string, actor: Actor) =>
    importPackage({ db: db(), config }, { zipPath: file, fileName: path.basename(file), actor });
  const libraryRows = async () =>
    (await db()('h5p_libraries').orderBy('machine_name')) as {
      machine_name: string;
      major_version: number;
      minor_version: number;
      patch_version: number;
      storage_key: string;
    }[];
  const snapshot = async () => ({
    files: listFiles(config.contentDir).filter((f) => !f.startsWith('.')),
    packages: Number(((await db()('packages').count({ n: '*' })) as { n: string }[])[0]!.n),
    libraries: (await libraryRows()).length,
  });

  /** Imports expecting a refusal; nothing is kept (rows, package files, library files). */
  async function refused(
    file: string,
    actor: Actor = admin,
  ): Promise<{ report: PackageReport; text: string }> {
    const before = await snapshot();
    let report: PackageReport | undefined;
    try {
      await run(file, actor);
    } catch (err) {
      if (!(err instanceof PackageRefused)) throw err;
      report = err.report;
    }
    assert.ok(report, 'the package was refused');
    assert.deepEqual(await snapshot(), before, 'nothing was kept');
    assert.deepEqual(listFiles(path.join(config.contentDir, '.staging')), [], 'no staging files left');
    return { report, text: report.errors.map((e) => t(e.key, e.params ?? {})).join('\n') };
  }

  it('imports a generated package: content kept per package, libraries stored once and shared', async () => {
    const first = await run(tempFile(await h5pPackage({ title: 'First' }), 'first.h5p'), admin);
    assert.equal(first.package.format, 'h5p');
    assert.equal(first.package.title, 'First');
    const key = first.version.storage_key;
    const stored = listFiles(path.join(config.contentDir, key)).sort();
    assert.deepEqual(stored, ['content/content.json', 'h5p.json'], 'libraries are not kept in the package');
    const [lib] = await libraryRows();
    assert.equal(lib!.machine_name, 'WCH.Hello');
    assert.ok(fs.existsSync(path.join(config.contentDir, lib!.storage_key, 'hello.js')));
    assert.match(t(first.report.notices[0]!.key, first.report.notices[0]!.params), /Installs a new library/);

    // A second content using the same library: shared, not installed again.
    const second = await run(tempFile(await h5pPackage({ title: 'Second' }), 'second.h5p'), trainer);
    assert.equal((await libraryRows()).length, 1);
    assert.equal((await libraryRows())[0]!.storage_key, lib!.storage_key);
    assert.ok(second.report.notices.some((n) => n.key === 'h5p:report.librariesShared'));
  });

  it('replaces a library with a newer patch version for all content, and keeps it against an older one', async () => {
    const [old] = await libraryRows();
    const newer = helloLibrary({ patch: 3, css: { 'hello.css': '.patched { color: red; }' } });
    const res = await run(tempFile(await h5pPackage({ main: newer }), 'patched.h5p'), admin);
    assert.ok(res.report.notices.some((n) => n.key === 'h5p:report.librariesUpgraded'));
    const [now] = await libraryRows();
    assert.equal(now!.patch_version, 3);
    assert.notEqual(now!.storage_key, old!.storage_key);
    assert.match(
      fs.readFileSync(path.join(config.contentDir, now!.storage_key, 'hello.css'), 'utf8'),
      /patched/,
    );
    // the replaced files go once the import has committed
    for (let i = 0; i < 50 && fs.existsSync(path.join(config.contentDir, old!.storage_key)); i++)
      await new Promise((r) => setTimeout(r, 20));
    assert.ok(!fs.existsSync(path.join(config.contentDir, old!.storage_key)), 'the older patch is removed');

    // an older patch version in a package uses the installed one
    await run(tempFile(await h5pPackage({ main: helloLibrary({ patch: 1 }) }), 'older.h5p'), admin);
    assert.equal((await libraryRows())[0]!.patch_version, 3);
    // a trainer's newer patch is not installed (a warning says so) but the content imports
    const warned = await run(
      tempFile(await h5pPackage({ main: helloLibrary({ patch: 9 }) }), 'p9.h5p'),
      trainer,
    );
    assert.ok(warned.report.warnings.some((w) => w.key === 'h5p:report.upgradeNotAllowed'));
    assert.equal((await libraryRows())[0]!.patch_version, 3);
  });

  it('refuses new libraries from people who may not install them, naming who can', async () => {
    const other = helloLibrary({ machineName: 'WCH.Other' });
    const { text } = await refused(tempFile(await h5pPackage({ main: other }), 'other.h5p'), trainer);
    assert.match(text, /needs a library that is not installed yet: WCH\.Other 1\.0/);
    assert.match(text, /ask Ada Admin to upload this package first/);

    // with the permission, the same trainer may
    await setInstaller(db(), trainer.id, admin.id, true);
    await run(tempFile(await h5pPackage({ main: other }), 'other.h5p'), trainer);
    assert.ok((await libraryRows()).some((l) => l.machine_name === 'WCH.Other'));
    await setInstaller(db(), trainer.id, admin.id, false);
  });

  it('refuses broken generated packages with messages naming the problem, keeping nothing', async () => {
    const cases: { name: string; pkg: Parameters<typeof h5pPackage>[0]; message: RegExp }[] = [
      {
        name: 'missing library file',
        pkg: { main: helloLibrary({ machineName: 'WCH.Broken', extraJsPaths: ['scripts/missing.js'] }) },
        message:
          /The library WCH\.Broken-1\.0 loads scripts\/missing\.js, but that file is not in the package/,
      },
      {
        name: 'invalid content.json',
        pkg: { main: helloLibrary({ machineName: 'WCH.Broken' }), content: '{"text": "unclosed' },
        message: /content\/content\.json is not valid JSON/,
      },
      {
        name: 'invalid library.json',
        pkg: { main: helloLibrary({ machineName: 'WCH.Broken', rawLibraryJson: '{ "machineName": ' }) },
        message: /WCH\.Broken-1\.0\/library\.json is not valid JSON/,
      },
      {
        name: 'library escaping its folder',
        pkg: {
          main: helloLibrary({ machineName: 'WCH.Broken', extraJsPaths: ['../WCH.Hello-1.0/hello.js'] }),
        },
        message:
          /The library WCH\.Broken-1\.0 loads \.\.\/WCH\.Hello-1\.0\/hello\.js, which is outside its folder/,
      },
      {
        name: 'absolute path in a library',
        pkg: { main: helloLibrary({ machineName: 'WCH.Broken', extraJsPaths: ['/etc/passwd'] }) },
        message: /loads \/etc\/passwd, which is outside its folder/,
      },
      {
        name: 'missing dependency',
        pkg: {
          main: helloLibrary({
            machineName: 'WCH.Broken',
            deps: [{ machineName: 'WCH.Nowhere', majorVersion: 2, minorVersion: 1 }],
          }),
        },
        message:
          /WCH\.Broken 1\.0 needs the library WCH\.Nowhere 2\.1, which is neither in the package nor installed/,
      },
      {
        name: 'no content.json',
        pkg: { main: helloLibrary({ machineName: 'WCH.Broken' }), omitContentJson: true },
        message: /content\/content\.json is missing/,
      },
      {
        name: 'h5p.json without a main library',
        pkg: { rawH5pJson: '{"title":"x","preloadedDependencies":[]}' },
        message: /h5p\.json does not describe H5P content \(mainLibrary/,
      },
      {
        name: 'library folder naming another version',
        pkg: {
          main: helloLibrary({ machineName: 'WCH.Broken' }),
          files: [
            {
              name: 'WCH.Liar-1.0/library.json',
              data: JSON.stringify({
                machineName: 'WCH.Liar',
                majorVersion: 2,
                minorVersion: 0,
                patchVersion: 0,
              }),
            },
          ],
        },
        message: /The library folder WCH\.Liar-1\.0 holds the library WCH\.Liar-2\.0/,
      },
    ];
    for (const c of cases) {
      const { text, report } = await refused(tempFile(await h5pPackage(c.pkg), 'broken.h5p'));
      assert.match(text, c.message, `${c.name}: ${text}`);
      assert.equal(report.format, 'h5p', c.name);
    }
  });

  it('refuses the broken fixture (no h5p.json) as not an H5P package', async function () {
    needFixtures(this);
    const { text } = await refused(fixture('malformed/08_h5p_missing-h5p-json.h5p'));
    assert.match(text, /This is not an H5P package: h5p\.json is missing/);
  });

  describe('the shared H5P fixtures', () => {
    before(function () {
      needFixtures(this);
    });

    for (const name of [
      'H5P.TrueFalse_hello-world.h5p',
      'H5P.MultiChoice_hub-example.h5p',
      'H5P.QuestionSet_hub-example.h5p',
      'H5P.InteractiveVideo_hub-example.h5p',
    ])
      it(`imports ${name}`, async () => {
        const res = await run(fixture(`h5p/${name}`), admin);
        assert.deepEqual(res.report.errors, []);
        const model = (await db()('package_versions').where({ id: res.version.id }).first()) as {
          manifest: { mainLibrary: { machineName: string }; libraries: unknown[] };
        };
        assert.equal(model.manifest.mainLibrary.machineName, name.split('_')[0]);
        const stored = listFiles(path.join(config.contentDir, res.version.storage_key));
        assert.ok(stored.includes('h5p.json') && stored.includes('content/content.json'));
        assert.ok(!stored.some((f) => /library\.json$/.test(f)), 'libraries are shared, not per package');
        if (name.startsWith('H5P.TrueFalse')) {
          assert.ok(!stored.includes('H5P_CONTENT_HERE.txt'), 'the stray root file is dropped');
          assert.ok(res.report.notices.some((n) => n.key === 'h5p:report.strayFiles'));
        }
      });

    it('installed each library once, by machine name and major.minor', async () => {
      const rows = await libraryRows();
      const keys = rows.map((r) => `${r.machine_name}-${r.major_version}.${r.minor_version}`);
      assert.equal(new Set(keys).size, keys.length);
      assert.ok(keys.includes('H5P.QuestionSet-1.17') && keys.includes('H5P.InteractiveVideo-1.22'));
      assert.ok(rows.length >= 55, `${rows.length} libraries`);
    });

    it('lets a trainer import content whose libraries are all installed', async () => {
      const res = await run(fixture('h5p/H5P.MultiChoice_hub-example.h5p'), trainer);
      assert.deepEqual(res.report.errors, []);
    });
  });
});
