import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { buildUser, DEFAULT_PASSWORD } from '../../factories.js';
import {
  launchBrowser,
  screenshot,
  seriousA11yViolations,
  shotsDir,
  signInAs,
  startServer,
  watchConsole,
  type RunningApp,
} from '../../helpers/browser.js';
import { enrol, send, trackedCourse, type Stmt } from '../../integration/progress/helpers.js';

// SCREENSHOTS_DIR=/some/folder saves screenshots of the pages (and the certificate PDF) for a person to look at.

describe('reports and certificates in a browser', function () {
  this.timeout(120_000);
  let app: RunningApp;
  let browser: Browser;
  let courseId: string;
  let firstLearner: string;
  let coordinator: { email: string; password: string };

  before(async function () {
    this.timeout(180_000);
    app = await startServer();
    browser = await launchBrowser();
    const { db } = app.ctx;
    coordinator = await buildUser(db, { roles: ['coordinator'], name: 'Cora Coordinator' });
    const owner = await buildUser(db, { roles: ['trainer'], name: 'Tess Trainer' });
    const tc = await trackedCourse(db, owner.id, 2, 'Etiquette at work');
    courseId = tc.course.id;
    const names = [
      'Ada Lovelace',
      'محمد عبد الله',
      'Γιώργος Παπαδόπουλος',
      'Ольга Иванова',
      'Grace Hopper',
      'Łukasz Żółć',
      'Chen Wei',
      'Fatou Diop',
    ];
    const day = (d: number, h = 10) =>
      new Date(Date.now() - (20 - d) * 86_400_000 + h * 3_600_000).toISOString();
    for (const [i, name] of names.entries()) {
      const u = await buildUser(db, { name });
      if (i === 0) firstLearner = u.id;
      const e = await enrol(db, courseId, u.id);
      const [a1, a2] = tc.activities as [(typeof tc.activities)[0], (typeof tc.activities)[0]];
      const b = { registration: e.registration, userId: u.id };
      const list: Stmt[] = [];
      if (i < 7) list.push({ ...b, verb: 'initialized', iri: a1.iri, name: 'Etiquette', at: day(i) });
      if (i < 6) {
        list.push({
          ...b,
          verb: 'answered',
          iri: `${a1.iri}/interactions/greeting`,
          name: 'How do you greet a client?',
          result: { response: 'handshake', success: true },
          at: day(i, 11),
        });
        const score = 0.95 - i * 0.09;
        list.push({
          ...b,
          verb: score >= 0.6 ? 'passed' : 'failed',
          iri: a1.iri,
          name: 'Etiquette',
          result: { score: { scaled: score }, success: score >= 0.6 },
          at: day(i + 1),
        });
        list.push({
          ...b,
          verb: 'terminated',
          iri: a1.iri,
          name: 'Etiquette',
          result: { duration: `PT${15 + i * 4}M` },
          at: day(i + 1, 12),
        });
      }
      if (i < 4)
        list.push({
          ...b,
          verb: 'completed',
          iri: a2.iri,
          name: 'Meetings',
          result: { duration: 'PT10M', completion: true },
          at: day(i + 3),
        });
      if (list.length) await send(db, list);
    }
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  it('shows the course report and the drill-down, accessible and without errors', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems = watchConsole(page);
    await signInAs(page, app.url, coordinator);
    await page.goto(`${app.url}/reports/courses/${courseId}`);
    assert.match(await page.locator('h1').innerText(), /Etiquette at work/);
    assert.equal(await page.locator('svg.chart').count(), 3);
    assert.deepEqual(await seriousA11yViolations(page), []);
    await screenshot(page, 'course-report');
    await page.click(`a[href="/reports/courses/${courseId}/learners/${firstLearner}"]`);
    await page.waitForURL(/\/learners\//);
    assert.match(await page.locator('ol.timeline').innerText(), /completed “Module 2”/);
    assert.deepEqual(await seriousA11yViolations(page), []);
    await screenshot(page, 'drill-down');
    await page.goto(`${app.url}/reports`);
    assert.deepEqual(await seriousA11yViolations(page), []);
    await page.goto(`${app.url}/certificates/manage`);
    assert.equal(await page.locator('tbody tr').count(), 4);
    assert.deepEqual(await seriousA11yViolations(page), []);
    await screenshot(page, 'certificates-manage');
    if (shotsDir) {
      const id = await page.locator('tbody tr a.button-danger').first().getAttribute('href');
      const pdf = await page.request.get(`${app.url}${id!.replace('/revoke', '/certificate.pdf')}`);
      fs.writeFileSync(path.join(shotsDir, 'certificate.pdf'), await pdf.body());
    }
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('verifies a certificate publicly and shows the result accessibly', async () => {
    const cert = await app.ctx.db('certificates').first();
    const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
    const problems = watchConsole(page);
    await page.goto(`${app.url}/verify`);
    assert.deepEqual(await seriousA11yViolations(page), []);
    await page.fill('#code', cert.code.match(/.{4}/g).join('-'));
    await Promise.all([
      page.waitForURL(/\/verify\/[A-Z2-7]{32}$/),
      page.click('form[action="/verify"] button'),
    ]);
    assert.match(await page.locator('.verdict').innerText(), /Valid/);
    assert.deepEqual(await seriousA11yViolations(page), []);
    await screenshot(page, 'verify-valid');
    await page.goto(`${app.url}/verify`);
    await page.fill('#credential', cert.credential.slice(0, -4) + 'AAAA');
    await page.click('form[enctype] button');
    await page.waitForLoadState();
    assert.match(await page.locator('.verdict').innerText(), /Not authentic/);
    await screenshot(page, 'verify-tampered');
    assert.deepEqual(
      problems.filter((p) => !p.includes('422')),
      [],
    );
    await page.close();
  });

  it('shows a learner their own progress and certificates', async () => {
    const learner = await app.ctx.db('users').where({ id: firstLearner }).first();
    const page = await browser.newPage();
    await signInAs(page, app.url, { email: learner.email, password: DEFAULT_PASSWORD });
    await page.click('header a[href="/reports"]');
    await page.waitForURL(/\/reports\/learners\//);
    assert.match(await page.locator('h1').innerText(), /My progress/);
    assert.deepEqual(await seriousA11yViolations(page), []);
    await page.goto(`${app.url}/certificates`);
    assert.match(await page.locator('main').innerText(), /Etiquette at work/);
    assert.deepEqual(await seriousA11yViolations(page), []);
    await page.close();
  });
});
