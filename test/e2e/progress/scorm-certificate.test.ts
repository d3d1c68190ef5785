import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { saveRule } from '../../../src/modules/progress/rules.repo.js';
import { launchBrowser, screenshot, seriousA11yViolations, watchConsole } from '../../helpers/browser.js';
import { fixture, fixturesDir, haveFixtures } from '../../integration/packages/helpers.js';
import { enrolledLearner, scormCourseFromZip, statementsOf } from '../../integration/scorm/helpers.js';
import {
  answerGolfTest,
  eventually,
  frameWith,
  golfNext,
  signInAs,
  startScormServer,
  type ScormServer,
} from '../scorm/helpers.js';

// From a real SCORM package to a certificate anyone can verify: the learner passes the golf test in
// Chromium, the course's rule (a minimum score) is met, the certificate is issued once with `earned`.
describe('certificates: issued when a learner passes a real SCORM package (Chromium)', function () {
  this.timeout(240_000);
  let server: ScormServer;
  let browser: Browser;

  before(async function () {
    if (!haveFixtures) {
      process.stdout.write(`      (skipped: ${fixturesDir} is missing)\n`);
      return this.skip();
    }
    server = await startScormServer();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('passes the golf test at 100 %, earns the certificate, sees it and verifies it', async () => {
    const db = server.ctx.db;
    const c = await scormCourseFromZip(
      server.ctx,
      fixture('scorm12/RuntimeBasicCalls_SCORM12.zip'),
      'Golf etiquette',
    );
    await saveRule(db, c.course.id, { rule: 'min_score', minScore: 0.8, hours: 2 }, c.trainer.id);
    const learner = await enrolledLearner(db, c.course.id, 'Leyla Öztürk');
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const problems = watchConsole(page);
    page.on('dialog', (d) => void d.accept());
    await signInAs(page, server.url, learner);
    await page.goto(`${server.url}/courses/${c.course.slug}/activities/${c.activity.id}`);
    const sco = await frameWith(page, 'shared/launchpage.html');
    await golfNext(sco, 14);
    assert.equal(await answerGolfTest(page), 100);
    await sco.locator('#butExit').click();
    await page.locator('#scorm-ended').waitFor();

    const certificates = () => db('certificates').where({ user_id: learner.id, course_id: c.course.id });
    const [cert] = await eventually(certificates, (rows) => rows.length > 0, 'the certificate');
    assert.equal(cert.learner_name, 'Leyla Öztürk');
    assert.equal(Number(cert.score), 1);
    assert.equal(Number(cert.hours), 2);
    const earned = await db('statements')
      .where({ registration: learner.registration })
      .where('verb_id', 'like', '%/earned');
    assert.equal(earned.length, 1, 'one earned statement');
    const passedAt = (await statementsOf(db, learner.registration)).find((s) => s.verb === 'passed');
    assert.ok(passedAt, 'the SCO passed');
    await page.goto(`${server.url}/certificates`);
    await page
      .getByRole('heading', { name: 'Golf etiquette' })
      .or(page.getByText('Golf etiquette'))
      .first()
      .waitFor();
    const pdf = await page.request.get(`${server.url}/certificates/${cert.id}/certificate.pdf`);
    assert.equal(pdf.status(), 200);
    assert.equal(pdf.headers()['content-type'], 'application/pdf');
    assert.deepEqual(await seriousA11yViolations(page), []);
    await screenshot(page, 'my-certificates');
    // the learner's own detail: the package as a whole and its SCO, both passed
    await page.goto(`${server.url}/reports/courses/${c.course.id}/learners/${learner.id}`);
    assert.deepEqual(await seriousA11yViolations(page), []);
    await screenshot(page, 'my-course-detail');

    // Anyone, signed in or not, can check the code.
    const visitor = await browser.newPage();
    await visitor.goto(`${server.url}/verify/${cert.code}`);
    await visitor.getByText('Leyla Öztürk').first().waitFor();
    await visitor.getByText(/valid/i).first().waitFor();
    assert.deepEqual(await seriousA11yViolations(visitor), []);
    await visitor.close();

    assert.equal((await certificates()).length, 1, 'issued once');
    assert.deepEqual(problems, []);
    await context.close();
  });
});
