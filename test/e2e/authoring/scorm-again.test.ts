import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { buildUser } from '../../factories.js';
import { createTestDatabase } from '../../helpers/db.js';
import { testConfig } from '../../helpers/config.js';
import { launchBrowser, watchConsole } from '../../helpers/browser.js';
import type { Database } from '../../../src/platform/db.js';
import { createI18n } from '../../../src/platform/i18n.js';
import { projectRoot } from '../../../src/platform/paths.js';
import * as repo from '../../../src/modules/authoring/authoring.repo.js';
import { diskFileStore } from '../../../src/modules/authoring/files.storage.js';
import { exportPublished } from '../../../src/modules/authoring/export.service.js';
import { asSession, buildAuthoredCourse } from '../../integration/authoring/fixtures.js';

// The package's exports hide dist/ (and package.json): take the installed folder.
const scormAgainDist = path.join(projectRoot, 'node_modules', 'scorm-again', 'dist');

const HOST_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bare SCORM 1.2 host</title>
<script src="/scorm-again/scorm12.js"></script><script src="/host.js"></script></head>
<body><iframe id="sco" src="/pkg/index.html" title="Exported course" width="900" height="700"></iframe></body></html>`;
// The LMS side: scorm-again's API, committing to /commit, which records what arrives.
const HOST_JS = `window.API = new Scorm12API({ lmsCommitUrl: '/commit', dataCommitFormat: 'json', autocommit: false, logLevel: 5 });`;

const HOST_PAGE_2004 = HOST_PAGE.replace('/scorm-again/scorm12.js', '/scorm-again/scorm2004.js')
  .replace('/host.js', '/host2004.js')
  .replace('/pkg/index.html', '/pkg2004/index.html')
  .replace('SCORM 1.2', 'SCORM 2004');
const HOST_JS_2004 = `window.API_1484_11 = new Scorm2004API({ lmsCommitUrl: '/commit', dataCommitFormat: 'json', autocommit: false, logLevel: 5 });`;

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.png': 'image/png',
  '.xml': 'application/xml',
};

describe('SCORM exports in scorm-again, outside the platform (Chromium)', function () {
  this.timeout(120_000);
  let d: Database;
  let browser: Browser;
  let server: http.Server;
  let url = '';
  const commits: Record<string, unknown>[] = [];

  before(async () => {
    d = await createTestDatabase();
    const config = testConfig();
    const store = diskFileStore(config.contentDir);
    const author = asSession(await buildUser(d.db));
    const built = await buildAuthoredCourse(d.db, store, author, { publish: config });
    const course = (await repo.findAuthoredCourse(d.db, built.course.id))!;
    const i18n = await createI18n();
    const { files } = await exportPublished({ db: d.db, config, i18n }, store, course, 'scorm12');
    const pkg = new Map(files.map((f) => [f.path, f.data]));
    const files2004 = (await exportPublished({ db: d.db, config, i18n }, store, course, 'scorm2004')).files;
    const pkg2004 = new Map(files2004.map((f) => [f.path, f.data]));
    server = http.createServer((req, res) => {
      const p = decodeURIComponent(new URL(req.url!, 'http://x').pathname);
      if (req.method === 'POST' && p === '/commit') {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString()));
        req.on('end', () => {
          commits.push(JSON.parse(body) as Record<string, unknown>);
          res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"result":true,"errorCode":0}');
        });
        return;
      }
      let data: Buffer | undefined;
      if (p === '/favicon.ico') return res.writeHead(204).end();
      if (p === '/') data = Buffer.from(HOST_PAGE);
      else if (p === '/2004') data = Buffer.from(HOST_PAGE_2004);
      else if (p === '/host2004.js') data = Buffer.from(HOST_JS_2004);
      else if (p === '/scorm-again/scorm2004.js')
        data = fs.readFileSync(path.join(scormAgainDist, 'scorm2004.js'));
      else if (p.startsWith('/pkg2004/')) data = pkg2004.get(p.slice(9));
      else if (p === '/host.js') data = Buffer.from(HOST_JS);
      else if (p === '/scorm-again/scorm12.js')
        data = fs.readFileSync(path.join(scormAgainDist, 'scorm12.js'));
      else if (p.startsWith('/pkg/')) data = pkg.get(p.slice(5));
      if (!data) return res.writeHead(404).end();
      res
        .writeHead(200, {
          'Content-Type':
            p === '/' || p === '/2004' ? 'text/html' : (TYPES[path.extname(p)] ?? 'application/octet-stream'),
        })
        .end(data);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    server?.close();
    await d?.close();
  });

  it('reports interactions, score, passed and the final commit', async () => {
    const page = await browser.newPage();
    const problems = watchConsole(page);
    await page.goto(`${url}/`);
    const sco = page.frameLocator('#sco');
    await sco.getByRole('heading', { name: 'Reading' }).waitFor();
    assert.equal(
      await page.evaluate(
        () =>
          (window as unknown as { API: { cmi: { core: { lesson_status: string } } } }).API.cmi.core
            .lesson_status,
      ),
      'incomplete',
    );

    // Lesson 1, then the quiz: one wrong answer first (fails 75 %), then all correct.
    await sco.locator('section.lesson:not([hidden])').getByRole('button', { name: 'Next' }).click();
    const quiz = sco.locator('form[data-quiz]');
    await quiz.getByLabel('A', { exact: true }).first().check();
    await quiz.getByRole('button', { name: 'Check my answers' }).click();
    await sco.getByText(/Score: 0 %/).waitFor();
    await quiz.locator('input[name="q_qsingle"][value="b"]').check();
    await quiz.locator('input[name="q_qmulti"][value="a"]').check();
    await quiz.locator('input[name="q_qmulti"][value="c"]').check();
    await quiz.locator('input[name="q_qtf"][value="true"]').check();
    await quiz.locator('input[name="q_qshort"]').fill('  CMI5 ');
    await quiz.getByRole('button', { name: 'Check my answers' }).click();
    await sco.getByText(/Score: 100 %\. Passed\./).waitFor();
    await sco.locator('section.lesson:not([hidden])').getByRole('button', { name: 'Next' }).click();
    await sco.getByText('You have completed the course.').waitFor();

    const cmi = await page.evaluate(() => {
      const api = (
        window as unknown as {
          API: {
            cmi: {
              core: Record<string, unknown> & { score: Record<string, string> };
              interactions: { childArray: Record<string, unknown>[] };
            };
          };
        }
      ).API;
      return {
        status: api.cmi.core.lesson_status,
        raw: api.cmi.core.score.raw,
        interactions: api.cmi.interactions.childArray.length,
      };
    });
    assert.deepEqual(cmi, { status: 'passed', raw: '100', interactions: 8 });

    await page.goto('about:blank'); // the SCO's pagehide sends LMSFinish with the final commit
    await new Promise((r) => setTimeout(r, 500));
    const text = JSON.stringify(commits);
    assert.ok(commits.length >= 3, `commits: ${commits.length}`);
    const last = JSON.stringify(commits.at(-1));
    assert.match(last, /"lesson_status":"passed"/);
    assert.match(last, /"raw":"100"/);
    assert.match(text, /"student_response":"a,c"/);
    assert.match(text, /"student_response":"t"/);
    assert.match(text, /"student_response":"CMI5"/);
    assert.match(text, /"result":"wrong"/);
    assert.match(text, /"type":"fill-in"/);
    assert.match(last, /"session_time":"\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?"/);
    assert.deepEqual(problems, []);
  });

  it('SCORM 2004: reports completion, success, scaled score and interactions', async () => {
    commits.length = 0;
    const page = await browser.newPage();
    const problems = watchConsole(page);
    await page.goto(`${url}/2004`);
    const sco = page.frameLocator('#sco');
    await sco.getByRole('heading', { name: 'Reading' }).waitFor();
    await sco.locator('section.lesson:not([hidden])').getByRole('button', { name: 'Next' }).click();
    const quiz = sco.locator('form[data-quiz]');
    await quiz.locator('input[name="q_qsingle"][value="b"]').check();
    await quiz.locator('input[name="q_qmulti"][value="a"]').check();
    await quiz.locator('input[name="q_qtf"][value="false"]').check();
    await quiz.locator('input[name="q_qshort"]').fill('XAPI');
    await quiz.getByRole('button', { name: 'Check my answers' }).click();
    await sco.getByText(/Score: 50 %/).waitFor();
    await sco.locator('section.lesson:not([hidden])').getByRole('button', { name: 'Next' }).click();
    await sco.getByText('You have completed the course.').waitFor();
    const cmi = await page.evaluate(() => {
      const api = (window as unknown as { API_1484_11: { GetValue(k: string): string } }).API_1484_11;
      return [
        'cmi.completion_status',
        'cmi.success_status',
        'cmi.score.scaled',
        'cmi.interactions._count',
        'cmi.interactions.1.learner_response',
        'cmi.interactions.2.type',
      ].map((k) => api.GetValue(k));
    });
    assert.deepEqual(cmi, ['completed', 'failed', '0.5', '4', 'a', 'true-false']);
    await page.goto('about:blank');
    await new Promise((r) => setTimeout(r, 500));
    const last = JSON.stringify(commits.at(-1));
    assert.match(last, /"completion_status":"completed"/);
    assert.match(last, /"success_status":"failed"/);
    assert.match(JSON.stringify(commits), /"learner_response":"XAPI"/);
    assert.match(JSON.stringify(commits), /"pattern":"\{case_matters=false\}cmi5"/);
    assert.deepEqual(problems, []);
  });
});
