import assert from 'node:assert/strict';
import { buildUser } from '../../factories.js';
import { createTestDatabase } from '../../helpers/db.js';
import { testConfig } from '../../helpers/config.js';
import type { Database } from '../../../src/platform/db.js';
import { createI18n } from '../../../src/platform/i18n.js';
import * as repo from '../../../src/modules/authoring/authoring.repo.js';
import { diskFileStore } from '../../../src/modules/authoring/files.storage.js';
import { exportPublished } from '../../../src/modules/authoring/export.service.js';
import { zipToBuffer } from '../../../src/modules/authoring/export/package.js';
import { hasActiveContent, XSS } from './xss.js';
import { asSession, buildAuthoredCourse } from './fixtures.js';
import { hasXmllint, hasXsd, unzip, validateManifest, XSD_DIR } from './packages.js';

describe('exports of authored courses', () => {
  let d: Database;
  const config = testConfig();
  const store = diskFileStore(config.contentDir);
  let ctx: { db: Database['db']; config: typeof config; i18n: Awaited<ReturnType<typeof createI18n>> };
  let course: repo.AuthoredCourseRow;
  before(async function () {
    this.timeout(60_000);
    d = await createTestDatabase();
    ctx = { db: d.db, config, i18n: await createI18n() };
    const author = asSession(await buildUser(d.db, { name: 'Zoë <Author> & Co' }));
    const built = await buildAuthoredCourse(d.db, store, author, {
      publish: config,
      title: 'Ein Kurs über "Preise" & <Mehr>',
    });
    course = (await repo.findAuthoredCourse(d.db, built.course.id))!;
  });
  after(() => d.close());

  const zipOf = async (format: 'scorm12' | 'scorm2004' | 'cmi5' | 'html') => {
    const { files } = await exportPublished(ctx, store, course, format);
    return unzip(await zipToBuffer(files));
  };

  for (const format of ['scorm12', 'scorm2004', 'cmi5'] as const) {
    it(`${format}: the manifest validates against the schemas in shared/xsd`, async function () {
      if (!hasXsd()) return this.skip(); // ../shared/xsd is missing on this machine
      if (!hasXmllint()) throw new Error('xmllint is missing: apt-get install libxml2-utils (.ci/run does)');
      const files = await zipOf(format);
      const manifest = files.get(format === 'cmi5' ? 'cmi5.xml' : 'imsmanifest.xml')!;
      assert.ok(manifest, `manifest in ${[...files.keys()].join(', ')}`);
      assert.equal(validateManifest(format, manifest), '', `against ${XSD_DIR}`);
      const text = manifest.toString();
      assert.match(text, /Ein Kurs über &quot;Preise&quot; &amp; &lt;Mehr&gt;/);
      assert.match(text, /Creative Commons Attribution-ShareAlike 4\.0/);
      assert.match(text, /FN:Zoë &lt;Author&gt; &amp; Co/);
      if (format !== 'cmi5') {
        for (const name of files.keys())
          if (name !== 'imsmanifest.xml')
            assert.match(text, new RegExp(`<file href="${name.replace(/[.]/g, '\\.')}"/>`), name);
      }
    });
  }

  it('the validator rejects a broken manifest (the check is real)', function () {
    if (!hasXsd()) return this.skip(); // ../shared/xsd is missing on this machine
    if (!hasXmllint()) throw new Error('xmllint is missing: apt-get install libxml2-utils (.ci/run does)');
    assert.notEqual(
      validateManifest(
        'scorm12',
        Buffer.from('<manifest xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"><bogus/></manifest>'),
      ),
      '',
    );
  });

  it('every export is self-contained: page, runtime, files; no path leaves the package', async () => {
    for (const format of ['scorm12', 'scorm2004', 'cmi5', 'html'] as const) {
      const files = await zipOf(format);
      assert.ok(files.has('index.html'));
      assert.ok(files.has('runtime/player.js'));
      assert.ok(files.has(`runtime/${format}.js`));
      assert.ok([...files.keys()].some((n) => /^files\/\d{3}-dot\.png$/.test(n)));
      for (const name of files.keys()) assert.match(name, /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/, name);
      const html = files.get('index.html')!.toString();
      for (const m of html.matchAll(/(?:src|href)="([^"]+)"/g)) {
        const ref = m[1]!;
        if (/^(https?:|mailto:|#)/.test(ref)) continue;
        assert.ok(files.has(ref), `${format}: ${ref} is in the package`);
      }
    }
  });

  it('neutralises script in titles, text, feedback, alt text and links in every export', async () => {
    const author = asSession(await buildUser(d.db, { name: XSS[1]! }));
    for (const payload of XSS) {
      const built = await buildAuthoredCourse(d.db, store, author, {
        publish: config,
        texts: {
          title: payload,
          markdown: XSS.join('\n\n'),
          alt: payload,
          prompt: payload,
          feedback: payload,
          lesson: payload,
        },
      });
      const row = (await repo.findAuthoredCourse(d.db, built.course.id))!;
      for (const format of ['scorm12', 'scorm2004', 'cmi5', 'html'] as const) {
        const { files } = await exportPublished(ctx, store, row, format);
        const html = files.find((f) => f.path === 'index.html')!.data.toString();
        const markup = html
          .replace(/<script src="runtime\/[a-z0-9]+\.js"><\/script>/g, '')
          .replace(/<script type="application\/json" id="course-data">[\s\S]*?<\/script>/, '');
        assert.equal(hasActiveContent(markup), null, `${format}: ${payload}`);
        assert.equal(
          (html.match(/<script\b/g) ?? []).length,
          3,
          'only the data block and the two runtime files',
        );
        const data = /<script type="application\/json" id="course-data">([\s\S]*?)<\/script>/.exec(html)![1]!;
        assert.doesNotMatch(data, /</);
        assert.equal(JSON.parse(data).title, payload);
      }
    }
  });
});
