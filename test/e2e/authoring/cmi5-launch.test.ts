import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { buildUser } from '../../factories.js';
import { launchBrowser, startServer, watchConsole, type RunningApp } from '../../helpers/browser.js';
import { createTestLrsClient, xapiHeaders } from '../../helpers/lrs.js';
import { createI18n } from '../../../src/platform/i18n.js';
import { issueLaunchCredential } from '../../../src/modules/lrs/index.js';
import * as repo from '../../../src/modules/authoring/authoring.repo.js';
import { diskFileStore } from '../../../src/modules/authoring/files.storage.js';
import { exportPublished } from '../../../src/modules/authoring/export.service.js';
import { asSession, buildAuthoredCourse } from '../../integration/authoring/fixtures.js';

const CMI5 = 'https://w3id.org/xapi/cmi5/context/categories/cmi5';
const MOVEON = 'https://w3id.org/xapi/cmi5/context/categories/moveon';
const SESSION = 'https://w3id.org/xapi/cmi5/context/extensions/sessionid';
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.png': 'image/png',
};

// The cmi5 export launched by hand as an LMS would (the platform's cmi5 player comes with its own issue):
// a test page serves the package and the fetch URL; the LRS is the platform's own /xapi.
describe('cmi5 export launched against the platform LRS (Chromium)', function () {
  this.timeout(120_000);
  let server: RunningApp;
  let browser: Browser;
  let pkgServer: http.Server;

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    pkgServer?.close();
    await server?.close();
  });

  it('fetches the token once, reads LMS.LaunchData, sends cmi5 statements with the context template', async () => {
    const { db, config } = server.ctx;
    const store = diskFileStore(config.contentDir);
    const author = asSession(await buildUser(db));
    const built = await buildAuthoredCourse(db, store, author, { publish: config });
    const course = (await repo.findAuthoredCourse(db, built.course.id))!;
    const { files } = await exportPublished(
      { ...server.ctx, i18n: await createI18n() },
      store,
      course,
      'cmi5',
    );
    const pkg = new Map(files.map((f) => [f.path, f.data]));
    const structure = pkg.get('cmi5.xml')!.toString();
    const auId = /<au id="([^"]+)"/.exec(structure)![1]!;
    const courseId = /<course id="([^"]+)"/.exec(structure)![1]!;

    const actor = { objectType: 'Agent' as const, account: { homePage: server.url, name: 'cmi5-learner' } };
    const registration = randomUUID();
    const sessionId = randomUUID();
    const credential = await issueLaunchCredential(db, {
      actor,
      registration,
      activityId: auId,
      ttlSeconds: 600,
      publicUrl: server.url,
    });
    const lms = await createTestLrsClient(db, ['all']);
    const stateUrl = (stateId: string) =>
      `${server.url}/xapi/activities/state?stateId=${encodeURIComponent(stateId)}&activityId=${encodeURIComponent(auId)}&agent=${encodeURIComponent(JSON.stringify(actor))}&registration=${registration}`;
    const put = await fetch(stateUrl('LMS.LaunchData'), {
      method: 'PUT',
      headers: { ...xapiHeaders(lms, '1.0.3'), 'Content-Type': 'application/json' },
      body: JSON.stringify({
        contextTemplate: {
          contextActivities: { grouping: [{ id: courseId }] },
          extensions: { [SESSION]: sessionId },
        },
        launchMode: 'Normal',
        moveOn: 'CompletedAndPassed',
        returnURL: `${server.url}/my-learning`,
      }),
    });
    assert.equal(put.status, 204);

    let fetches = 0;
    pkgServer = http.createServer((req, res) => {
      const p = decodeURIComponent(new URL(req.url!, 'http://x').pathname);
      if (p === '/fetch' && req.method === 'POST') {
        fetches++;
        const body =
          fetches === 1
            ? { 'auth-token': credential.authHeader.slice('Basic '.length) }
            : { 'error-code': '1', 'error-text': 'already used' };
        return res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
      }
      if (p === '/favicon.ico') return res.writeHead(204).end();
      const data = p.startsWith('/pkg/') ? pkg.get(p.slice(5)) : undefined;
      if (!data) return res.writeHead(404).end();
      res.writeHead(200, { 'Content-Type': TYPES[path.extname(p)] ?? 'application/octet-stream' }).end(data);
    });
    await new Promise<void>((r) => pkgServer.listen(0, '127.0.0.1', r));
    const pkgUrl = `http://127.0.0.1:${(pkgServer.address() as { port: number }).port}`;
    const launch =
      `${pkgUrl}/pkg/index.html?endpoint=${encodeURIComponent(`${server.url}/xapi/`)}` +
      `&fetch=${encodeURIComponent(`${pkgUrl}/fetch`)}&actor=${encodeURIComponent(JSON.stringify(actor))}` +
      `&registration=${registration}&activityId=${encodeURIComponent(auId)}`;

    const page = await browser.newPage();
    const problems = watchConsole(page);
    await page.goto(launch);
    await page.getByRole('heading', { name: 'Reading' }).waitFor();
    await page.getByRole('button', { name: 'Exit the course' }).waitFor();
    await page.locator('section.lesson:not([hidden])').getByRole('button', { name: 'Next' }).click();
    await page.locator('input[name="q_qsingle"][value="b"]').check();
    await page.locator('input[name="q_qmulti"][value="a"]').check();
    await page.locator('input[name="q_qmulti"][value="c"]').check();
    await page.locator('input[name="q_qtf"][value="true"]').check();
    await page.locator('input[name="q_qshort"]').fill('cmi5');
    await page.getByRole('button', { name: 'Check my answers' }).click();
    await page.getByText('Score: 100 %. Passed.').waitFor();
    await page.locator('section.lesson:not([hidden])').getByRole('button', { name: 'Next' }).click();
    await page.getByText('You have completed the course.').waitFor();
    await page.getByRole('button', { name: 'Exit the course' }).click();
    await page.waitForURL(/\/(signin|my-learning)/);
    // The first GET of the AU's bookmark answers 404 (nothing saved yet): the browser logs it.
    assert.deepEqual(
      problems.filter((p) => !/status of 404/.test(p)),
      [],
    );
    await page.close();

    let rows: { verb_id: string; statement: Record<string, never> }[] = [];
    for (let i = 0; i < 50; i++) {
      rows = await db('statements').where({ registration }).orderBy('seq');
      if (rows.some((r) => r.verb_id.endsWith('/terminated'))) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const verbs = rows.map((r) => r.verb_id.split('/').pop());
    assert.deepEqual(verbs, [
      'initialized',
      'answered',
      'answered',
      'answered',
      'answered',
      'completed',
      'passed',
      'terminated',
    ]);
    assert.equal(fetches, 1, 'the fetch URL is used once');
    for (const r of rows) {
      const s = r.statement as unknown as {
        verb: { id: string };
        object: { id: string };
        result?: { score?: { scaled: number }; success?: boolean; duration?: string };
        context: {
          registration: string;
          extensions: Record<string, string>;
          contextActivities: { grouping: { id: string }[]; category?: { id: string }[] };
        };
      };
      assert.equal(s.context.registration, registration);
      assert.equal(s.context.extensions[SESSION], sessionId);
      assert.deepEqual(
        s.context.contextActivities.grouping.map((g) => g.id),
        [courseId],
      );
      const categories = (s.context.contextActivities.category ?? []).map((c) => c.id);
      const verb = s.verb.id.split('/').pop()!;
      if (verb === 'answered') {
        assert.deepEqual(categories, [], 'cmi5-allowed statements carry no cmi5 category');
        assert.ok(s.object.id.startsWith(`${auId}/quizzes/`));
      } else {
        assert.equal(s.object.id, auId);
        assert.ok(categories.includes(CMI5), verb);
        assert.equal(categories.includes(MOVEON), verb === 'completed' || verb === 'passed', verb);
      }
      if (verb === 'passed') assert.deepEqual([s.result?.score?.scaled, s.result?.success], [1, true]);
      if (verb === 'terminated' || verb === 'completed')
        assert.match(s.result?.duration ?? '', /^PT[\d.]+S$/);
    }
    // The bookmark is in the State resource, under the AU's own state id.
    const bookmark = await fetch(stateUrl('https://workcoophub.org/xapi/state/authored-progress'), {
      headers: xapiHeaders(lms, '1.0.3'),
    });
    assert.equal(bookmark.status, 200);
    assert.match(JSON.stringify(await bookmark.json()), /"completed":true/);
  });
});
