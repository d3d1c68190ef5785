import assert from 'node:assert/strict';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshot, seriousA11yViolations, watchConsole } from '../../helpers/browser.js';
import { fixture, fixturesDir, haveFixtures } from '../../integration/packages/helpers.js';
import { enrolledLearner, scormCourseFromZip, statementsOf } from '../../integration/scorm/helpers.js';
import {
  answerGolfTest,
  eventually,
  frameWith,
  golfNext,
  golfPage,
  shotsDir,
  signInAs,
  startScormServer,
  tocState,
  type ScormServer,
} from './helpers.js';

type Obj = Record<string, unknown>;

// Every good SCORM package of ../shared/fixtures that is not about sequencing: imported, launched, taken as a
// learner would, left and resumed, with the CMI data, the statements and the course progress checked.
describe('scorm: the golf examples in Chromium (fixtures)', function () {
  this.timeout(240_000);
  let server: ScormServer;
  let browser: Browser;

  before(async function () {
    if (!haveFixtures) {
      process.stdout.write(
        `      (skipped: ${fixturesDir} is missing; the generated packages cover one full launch)\n`,
      );
      return this.skip();
    }
    server = await startScormServer();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  const db = () => server.ctx.db;

  /** The verbs stated about the SCOs, and apart from them about the package as a whole (the course activity). */
  async function verbsOf(registration: string) {
    const all = await statementsOf(db(), registration);
    const isCourse = (x: { object: string }) => /\/xapi\/activities\/scorm\/[^/]+$/.test(x.object);
    return {
      sco: all.filter((x) => !isCourse(x)).map((x) => x.verb),
      course: all.filter(isCourse).map((x) => x.verb),
    };
  }

  async function setUp(zip: string) {
    const c = await scormCourseFromZip(server.ctx, fixture(zip), path.basename(zip, '.zip'));
    const learner = await enrolledLearner(db(), c.course.id);
    return { ...c, learner, url: `${server.url}/courses/${c.course.slug}/activities/${c.activity.id}` };
  }

  /**
   * A signed-in tab that accepts the golf SCOs' questions (resume? save?) as a learner who wants to go on.
   * Its browser context outlives it, as a browser outlives a closed tab (closing a context drops the beacons
   * of its frames still in flight).
   */
  async function tab(user: { email: string; password: string }): Promise<{ page: Page; problems: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const problems = watchConsole(page);
    page.on('dialog', (d) => void d.accept());
    await signInAs(page, server.url, user);
    return { page, problems };
  }

  const scoRows = async (registration: string) =>
    (await db()('scorm_sco_states as s')
      .join('scorm_attempts as a', 'a.id', 's.attempt_id')
      .where('a.registration', registration)
      .orderBy('s.created_at')
      .select('s.*')) as (Obj & { sco_id: string; cmi: { cmi: Obj }; completion: string; success: string })[];

  const enrolmentProgress = async (enrolmentId: string) =>
    (await db()('progress_enrolments').where({ enrolment_id: enrolmentId }).first()) as Obj | undefined;

  it('SCORM 1.2 RuntimeBasicCalls: bookmark, close the tab mid-course, resume there, pass the test, exit', async () => {
    const s = await setUp('scorm12/RuntimeBasicCalls_SCORM12.zip');
    let { page, problems } = await tab(s.learner);
    await page.goto(s.url);
    assert.equal(page.url(), s.url + '/scorm', 'the activity opens in the SCORM player');
    let sco = await frameWith(page, 'shared/launchpage.html');
    await golfNext(sco, 5);
    assert.deepEqual(await seriousA11yViolations(page), []);
    if (shotsDir) await page.screenshot({ path: path.join(shotsDir, 'scorm-player-12.png') });
    await page.close({ runBeforeUnload: true });
    const [suspended] = await eventually(
      () => scoRows(s.learner.registration),
      (r) => ((r[0]?.cmi.cmi.core as Obj | undefined)?.exit ?? '') === 'suspend',
      'the suspended SCO',
    );
    assert.equal((suspended!.cmi.cmi.core as Obj).lesson_location, '5');
    assert.deepEqual(problems, []);

    ({ page, problems } = await tab(s.learner));
    await page.goto(s.url);
    sco = await frameWith(page, 'shared/launchpage.html');
    await sco.waitForFunction(
      () => (window as unknown as { currentPage: number | null }).currentPage !== null,
    );
    assert.equal(await golfPage(sco), 5, 'resumes on the page where the learner stopped');
    assert.equal(
      await sco.evaluate(() =>
        (window.parent as unknown as { API: { LMSGetValue(k: string): string } }).API.LMSGetValue(
          'cmi.core.entry',
        ),
      ),
      'resume',
    );
    await golfNext(sco, 9);
    assert.equal(await answerGolfTest(page), 100);
    await sco.locator('#butExit').click();
    await page.locator('#scorm-ended').waitFor();
    assert.deepEqual(problems, []);

    const [row] = await eventually(
      () => scoRows(s.learner.registration),
      (r) => r[0]?.success === 'passed',
      'passed',
    );
    const core = row!.cmi.cmi.core as Obj;
    assert.equal(core.lesson_status, 'passed');
    assert.deepEqual(core.score, { raw: '100', min: '0', max: '100' });
    assert.equal(core.lesson_location, '14');
    assert.equal(row!.completion, 'completed');
    const verbs = await verbsOf(s.learner.registration);
    assert.deepEqual(verbs.sco, [
      'launched',
      'initialized',
      'suspended',
      'launched',
      'resumed',
      'completed',
      'passed',
      'terminated',
    ]);
    assert.deepEqual(verbs.course, ['completed'], 'its only SCO completed: the package completed');
    const progress = await eventually(
      () => enrolmentProgress(s.learner.enrolmentId),
      (p) => Number(p?.progress_pct) === 100,
      'course progress',
    );
    assert.equal(progress!.status, 'passed');
  });

  it('SCORM 1.2 RuntimeMinimumCalls: the table of contents and LMS navigation through 18 SCOs', async () => {
    const s = await setUp('scorm12/RuntimeMinimumCalls_SCORM12.zip');
    const { page, problems } = await tab(s.learner);
    await page.goto(s.url);
    await frameWith(page, 'Playing/Playing.html');
    const toc = await eventually(
      () => tocState(page),
      (t) => Object.values(t).some((x) => x.current),
      'the table of contents',
    );
    assert.equal(Object.keys(toc).length, 18);
    await screenshot(page, 'scorm-player-toc');
    assert.equal(toc.playing_playing_item!.current, true);
    // a SCO chosen in the table of contents, then back to the start and through all of them with Next
    await page.getByRole('button', { name: /Etiquette Quiz/ }).click();
    await frameWith(page, 'questions=Etiquette');
    await eventually(
      () => tocState(page),
      (t) => t.etiquette_quiz_item!.current,
      'the chosen SCO is current',
    );
    await page.getByRole('button', { name: /^How to Play/ }).click();
    await eventually(
      () => tocState(page),
      (t) => t.playing_playing_item!.current,
      'back at the start',
    );
    // each SCO has started (LMSInitialize) before the learner leaves it, as a learner reads a page first
    const ids = Object.keys(toc);
    const started = (i: number) =>
      eventually(
        () => scoRows(s.learner.registration),
        (r) => r.some((x) => x.sco_id === ids[i] && x.initialized && x.launches),
        `SCO ${i + 1} initialized`,
      );
    await started(0);
    for (let i = 1; i < 18; i++) {
      await page.locator('#scorm-next:not([disabled])').click();
      await eventually(
        () => tocState(page),
        (t) => Object.values(t)[i]!.current,
        `SCO ${i + 1}`,
      );
      await started(i);
    }
    assert.equal(await page.locator('#scorm-next').isDisabled(), true, 'no Next after the last SCO');
    await page.getByRole('button', { name: 'Save and exit' }).click();
    await page.waitForURL(`${server.url}/courses/${s.course.slug}`);
    const rows = await eventually(
      () => scoRows(s.learner.registration),
      (r) => r.length === 18 && r.every((x) => x.completion === 'completed'),
      'every SCO completed',
      15_000,
      (r) => r.filter((x) => x.completion !== 'completed').map((x) => x.sco_id),
    );
    assert.equal(rows.length, 18);
    const progress = await eventually(
      () => enrolmentProgress(s.learner.enrolmentId),
      (p) => Number(p?.progress_pct) === 100,
      'course progress',
    );
    assert.equal(progress!.status, 'completed');
    assert.deepEqual(problems, []);
  });

  it('SCORM 2004 2nd edition single SCO that never calls the API: the launch is recorded and the learner can leave', async () => {
    const s = await setUp('scorm2004/ContentPackagingSingleSCO_SCORM20042ndEdition.zip');
    const { page, problems } = await tab(s.learner);
    await page.goto(s.url);
    const sco = await frameWith(page, 'shared/launchpage.html');
    await sco.getByRole('heading', { name: 'Not implemented yet' }).waitFor();
    assert.equal(await page.locator('.scorm-toc').count(), 0, 'one SCO: no table of contents');
    await page.getByRole('button', { name: 'Save and exit' }).click();
    await page.waitForURL(`${server.url}/courses/${s.course.slug}`);
    const verbs = (await statementsOf(db(), s.learner.registration)).map((x) => x.verb);
    assert.equal(verbs[0], 'launched');
    const attempt = (await db()('scorm_attempts')
      .where({ registration: s.learner.registration })
      .first()) as Obj;
    assert.equal(attempt.status, 'suspended');
    assert.deepEqual(problems, []);
  });

  it('SCORM 2004 3rd edition RuntimeBasicCalls: location, completion, success, scaled score, suspend and exitAll', async () => {
    const s = await setUp('scorm2004/RuntimeBasicCalls_SCORM20043rdEdition.zip');
    let { page, problems } = await tab(s.learner);
    await page.goto(s.url);
    let sco = await frameWith(page, 'shared/launchpage.html');
    await golfNext(sco, 3);
    // left by the LMS page's exit (suspendAll); closing the tab is tested in closing.test.ts
    await page.getByRole('button', { name: 'Save and exit' }).click();
    await page.waitForURL(`${server.url}/courses/${s.course.slug}`);
    await eventually(
      () => scoRows(s.learner.registration),
      (r) => r[0]?.cmi.cmi.exit === 'suspend',
      'suspended',
    );
    const attempt = () =>
      db()('scorm_attempts').where({ registration: s.learner.registration }).first() as Promise<Obj>;
    await eventually(attempt, (a) => a.status === 'suspended', 'the session suspended (suspendAll)');

    ({ page, problems } = await tab(s.learner));
    await page.goto(s.url);
    sco = await frameWith(page, 'shared/launchpage.html');
    await sco.waitForFunction(
      () => (window as unknown as { currentPage: number | null }).currentPage !== null,
    );
    assert.equal(await golfPage(sco), 3);
    await golfNext(sco, 11);
    assert.equal(await answerGolfTest(page), 100);
    await sco.locator('#butExit').click();
    await page.locator('#scorm-ended').waitFor();
    await page.locator('#scorm-ended-exited').waitFor({ state: 'visible' });
    const [row] = await eventually(
      () => scoRows(s.learner.registration),
      (r) => r[0]?.success === 'passed',
      'passed',
    );
    assert.equal(row!.cmi.cmi.completion_status, 'completed');
    assert.equal((row!.cmi.cmi.score as Obj).scaled, '1');
    assert.equal(row!.cmi.cmi.location, '14');
    assert.equal((await attempt()).status, 'ended');
    const verbs = await verbsOf(s.learner.registration);
    assert.deepEqual(verbs.sco, [
      'launched',
      'initialized',
      'suspended',
      'launched',
      'resumed',
      'completed',
      'passed',
      'terminated',
    ]);
    assert.deepEqual(verbs.course, ['completed', 'passed'], "the package's rollup: completed and passed");
    await eventually(
      () => enrolmentProgress(s.learner.enrolmentId),
      (p) => Number(p?.progress_pct) === 100,
      'course progress',
    );
    assert.deepEqual(problems, []);
  });

  it('SCORM 2004 3rd edition RunTimeAdvancedCalls: interactions, objectives, progress measure and the passing score', async () => {
    const s = await setUp('scorm2004/RunTimeAdvancedCalls_SCORM20043rdEdition.zip');
    const { page, problems } = await tab(s.learner);
    await page.goto(s.url);
    const sco = await frameWith(page, 'shared/launchpage.html');
    const api = () =>
      sco.evaluate(() => {
        const a = (window.parent as unknown as { API_1484_11: { GetValue(k: string): string } }).API_1484_11;
        return {
          passing: a.GetValue('cmi.scaled_passing_score'),
          objectives: a.GetValue('cmi.objectives._count'),
        };
      });
    assert.deepEqual(
      await api(),
      { passing: '0.8', objectives: '5' },
      'the manifest gives the passing score and the objectives',
    );
    await golfNext(sco, 14);
    assert.equal((await answerGolfTest(page, false)) < 80, true);
    await page.getByRole('button', { name: 'Save and exit' }).click();
    await page.waitForURL(`${server.url}/courses/${s.course.slug}`);
    const [row] = await eventually(
      () => scoRows(s.learner.registration),
      (r) => r[0]?.success === 'failed',
      'failed',
    );
    const interactions = row!.cmi.cmi.interactions as Record<string, Obj>;
    const count = Object.keys(interactions).length;
    assert.ok(count >= 10, `interactions stored (${count})`);
    assert.deepEqual(
      Object.keys(interactions),
      Array.from({ length: count }, (_, i) => String(i)),
    );
    assert.deepEqual(
      new Set(Object.values(interactions).map((i) => i.type)),
      new Set(['choice', 'true-false', 'numeric']),
    );
    assert.ok(Number(row!.cmi.cmi.progress_measure) > 0.9);
    const st = await statementsOf(db(), s.learner.registration);
    assert.equal(st.filter((x) => x.verb === 'answered').length, count);
    assert.ok(st.some((x) => x.verb === 'failed' && x.object.endsWith('/item_1')));
    assert.ok(
      st.some((x) => x.object.includes('/item_1/objectives/')),
      'objective statements',
    );
    assert.deepEqual(problems, []);
  });
});
