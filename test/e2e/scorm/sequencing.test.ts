import assert from 'node:assert/strict';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, seriousA11yViolations, watchConsole } from '../../helpers/browser.js';
import { fixture, fixturesDir, haveFixtures } from '../../integration/packages/helpers.js';
import { enrolledLearner, scormCourseFromZip, statementsOf } from '../../integration/scorm/helpers.js';
import {
  answerGolfTest,
  askPlayer,
  eventually,
  frameWith,
  golfNext,
  shotsDir,
  signInAs,
  startScormServer,
  tocState,
  type ScormServer,
} from './helpers.js';

type Obj = Record<string, unknown>;

// The three sequencing examples of ../shared/fixtures (Rustici Software, scorm.com), taken in Chromium as a learner
// would: what the learner sees (table of contents, buttons, messages) and what is stored (CMI, sequencing state,
// statements, course progress). Their SCOs have no exit button of their own: the LMS navigates between them.
describe('scorm: the sequencing examples in Chromium (fixtures)', function () {
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

  const db = () => server.ctx.db;

  async function setUp(zip: string) {
    const c = await scormCourseFromZip(server.ctx, fixture(zip), path.basename(zip, '.zip'));
    const learner = await enrolledLearner(db(), c.course.id);
    return { ...c, learner, url: `${server.url}/courses/${c.course.slug}/activities/${c.activity.id}` };
  }

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

  const attempt = async (registration: string) =>
    (await db()('scorm_attempts').where({ registration }).first()) as Obj & {
      sequencing: Obj | null;
      current_sco: string | null;
      status: string;
    };

  const enabled = (t: Record<string, { enabled: boolean }>) => Object.keys(t).filter((k) => t[k]!.enabled);
  const current = (t: Record<string, { current: boolean }>) => Object.keys(t).find((k) => t[k]!.current);

  const statuses = async (registration: string) =>
    Object.fromEntries(
      (await scoRows(registration)).map((r) => [r.sco_id, `${r.completion}/${r.success}/${r.sco_attempt}`]),
    );
  const enrolmentProgress = async (enrolmentId: string) =>
    (await db()('progress_enrolments').where({ enrolment_id: enrolmentId }).first()) as Obj | undefined;
  /** The SCOs' own statements as "verb sco" (objective statements left out). */
  const verbsOf = async (registration: string) =>
    (await statementsOf(db(), registration))
      .filter((x) => !x.object.includes('/objectives/'))
      .map((x) => `${x.verb} ${x.object.split('/').pop()}`);
  /** The SCO frames on the page (the golf SCOs all launch shared/launchpage.html). */
  const scoFrames = (page: Page) =>
    page.frames().filter((f) => !f.isDetached() && f.url().includes('shared/launchpage.html'));
  const next = async (page: Page, content: string) => {
    await page.locator('#scorm-next:not([disabled])').click();
    return frameWith(page, `content=${content}`);
  };

  it('forced sequential: the learner cannot jump ahead, and each SCO opens once the one before is satisfied', async () => {
    const s = await setUp('scorm2004/SequencingForcedSequential_SCORM20043rdEdition.zip');
    const reg = s.learner.registration;
    const { page, problems } = await tab(s.learner);
    await page.goto(s.url);
    let sco = await frameWith(page, 'content=playing');
    let toc = await eventually(
      () => tocState(page),
      (t) => current(t) === 'playing_item',
      'the first SCO current',
    );
    assert.deepEqual(enabled(toc), ['playing_item'], 'only the first SCO can be chosen');
    // a locked step stays reachable by keyboard and says why it cannot be taken
    const locked = page.getByRole('button', { name: /^Handicapping/ });
    assert.equal(await locked.getAttribute('aria-disabled'), 'true');
    await locked.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'The course does not allow this step yet.' }).waitFor();
    assert.equal(current(await tocState(page)), 'playing_item');
    await page.evaluate(() => (document.getElementById('scorm-message')!.textContent = ''));
    // a request the buttons would not offer (a stale page, a crafted message) is refused in words
    await askPlayer(page, { type: 'nav', request: 'choice', target: 'handicapping_item' });
    await page.getByRole('status').filter({ hasText: 'The course does not allow this step yet.' }).waitFor();
    assert.equal(current(await tocState(page)), 'playing_item');

    await golfNext(sco, 4); // the last page completes and satisfies the SCO
    sco = await next(page, 'etiquette');
    toc = await eventually(
      () => tocState(page),
      (t) => current(t) === 'etuqiette_item',
      'the second SCO current',
    );
    assert.deepEqual(enabled(toc), ['playing_item', 'etuqiette_item'], 'still no jump beyond the next SCO');
    await askPlayer(page, { type: 'nav', request: 'choice', target: 'havingfun_item' });
    await page.getByRole('status').filter({ hasText: 'The course does not allow this step yet.' }).waitFor();
    assert.deepEqual(await statuses(reg), {
      playing_item: 'completed/passed/1',
      etuqiette_item: 'unknown/unknown/1',
    });
    const playing = (await scoRows(reg))[0]!;
    assert.equal(playing.cmi.cmi.location, '4');
    assert.equal(playing.cmi.cmi.exit, 'suspend');
    const seq = (await attempt(reg)).sequencing as { globalObjectiveMap: Record<string, Obj> };
    const global =
      seq.globalObjectiveMap['com.scorm.golfsamples.sequencing.forcedsequential.playing_satisfied'];
    assert.equal(global?.satisfiedStatus, true, 'the global objective is stored');

    // the learner leaves mid-course (Save and exit); My learning's Continue resumes the suspended SCO
    await page.getByRole('button', { name: 'Save and exit' }).click();
    await page.waitForURL(`${server.url}/courses/${s.course.slug}`);
    await eventually(
      () => attempt(reg),
      (a) => a.status === 'suspended',
      'the session suspended',
    );
    await page.goto(`${server.url}/my-learning`);
    const row = page.getByRole('row', { name: new RegExp(s.course.title) });
    await row.getByText('In progress').waitFor();
    // a real link whose accessible name names the course
    const go = page.getByRole('link', { name: new RegExp(`^Continue\\W+${s.course.title}$`) });
    assert.equal(await go.getAttribute('href'), `/courses/${s.course.slug}/activities/${s.activity.id}`);
    assert.deepEqual(await seriousA11yViolations(page), []);
    if (shotsDir)
      await page.screenshot({ path: path.join(shotsDir, 'my-learning-continue.png'), fullPage: true });
    await go.focus();
    await page.keyboard.press('Enter');
    sco = await frameWith(page, 'content=etiquette');
    toc = await eventually(
      () => tocState(page),
      (t) => current(t) === 'etuqiette_item',
      'the suspended SCO resumed',
    );
    assert.deepEqual(enabled(toc), ['playing_item', 'etuqiette_item']);
    // going back to review is allowed
    await page.getByRole('button', { name: /^Playing the Game/ }).click();
    await frameWith(page, 'content=playing');
    await eventually(
      () => tocState(page),
      (t) => current(t) === 'playing_item',
      'back at the first SCO',
    );
    const verbs = await verbsOf(reg);
    assert.deepEqual(verbs.filter((v) => v.endsWith(' playing_item')).slice(0, 5), [
      'launched playing_item',
      'initialized playing_item',
      'completed playing_item',
      'passed playing_item',
      'suspended playing_item',
    ]);
    // the sessions in order (what the learner did, without the status statements)
    assert.deepEqual(
      verbs.filter((v) => /^(launched|initialized|resumed|suspended|terminated) /.test(v)),
      [
        'launched playing_item',
        'initialized playing_item',
        'suspended playing_item',
        'launched etuqiette_item',
        'initialized etuqiette_item',
        'suspended etuqiette_item',
        'launched etuqiette_item',
        'resumed etuqiette_item',
        'suspended etuqiette_item',
        'launched playing_item',
        'resumed playing_item',
      ],
    );
    assert.deepEqual(problems, []);
  });

  it('simple remediation: a failed test sends the learner back to its content, passed parts are skipped', async () => {
    const s = await setUp('scorm2004/SequencingSimpleRemediation_SCORM20043rdEdition.zip');
    const reg = s.learner.registration;
    const { page, problems } = await tab(s.learner);
    await page.goto(s.url);
    await frameWith(page, 'content=playing');
    assert.equal(await page.locator('.scorm-toc-item').count(), 0, 'flow only: no choice offered');
    for (const c of ['etiquette', 'handicapping', 'havingfun', 'assessment1']) await next(page, c);
    assert.ok((await answerGolfTest(page, false)) < 70, 'the Playing quiz failed');
    for (const c of ['assessment2', 'assessment3', 'assessment4']) {
      await next(page, c);
      assert.equal(await answerGolfTest(page, true), 100);
    }
    // past the last test with one objective not met: back to its content, and only its content and test
    await next(page, 'playing');
    assert.equal(scoFrames(page).length, 1, 'one SCO at a time');
    assert.deepEqual(await statuses(reg), {
      playing_item: 'incomplete/failed/2',
      etuqiette_item: 'incomplete/passed/1',
      handicapping_item: 'incomplete/passed/1',
      havingfun_item: 'incomplete/passed/1',
      test_1: 'completed/failed/1',
      test_2: 'completed/passed/1',
      test_3: 'completed/passed/1',
      test_4: 'completed/passed/1',
    });
    await next(page, 'assessment1');
    assert.equal(await answerGolfTest(page, true), 100);
    await page.getByRole('button', { name: 'Save and exit' }).click();
    await page.waitForURL(`${server.url}/courses/${s.course.slug}`);
    assert.deepEqual(await statuses(reg), {
      playing_item: 'incomplete/passed/2',
      etuqiette_item: 'incomplete/passed/1',
      handicapping_item: 'incomplete/passed/1',
      havingfun_item: 'incomplete/passed/1',
      test_1: 'completed/passed/2',
      test_2: 'completed/passed/1',
      test_3: 'completed/passed/1',
      test_4: 'completed/passed/1',
    });
    const seq = (await attempt(reg)).sequencing as { globalObjectiveMap: Record<string, Obj> };
    const satisfied = Object.fromEntries(
      Object.entries(seq.globalObjectiveMap).map(([k, v]) => [k.split('.').pop(), v.satisfiedStatus]),
    );
    assert.deepEqual(satisfied, {
      playing_satisfied: true,
      etiquette_satisfied: true,
      handicapping_satisfied: true,
      havingfun_satisfied: true,
    });
    const verbs = (await verbsOf(reg)).filter((v) => v.endsWith(' test_1'));
    assert.equal(verbs.filter((v) => v === 'launched test_1').length, 2, 'the Playing quiz taken twice');
    assert.ok(verbs.indexOf('failed test_1') < verbs.indexOf('passed test_1'), 'failed, then passed');
    const progress = await eventually(
      () => enrolmentProgress(s.learner.enrolmentId),
      (p) => p?.status === 'passed',
      'the course passed',
    );
    assert.equal(Number(progress!.progress_pct), 100);
    assert.deepEqual(problems, []);
  });

  it('4th edition post-test rollup: jump to the test from a SCO, notes shared between SCOs (adl.data)', async () => {
    const s = await setUp('scorm2004/SequencingPostTestRollup4thEd_SCORM20044thEdition.zip');
    const reg = s.learner.registration;
    const { page, problems } = await tab(s.learner);
    // the SCOs load jQuery and jQuery UI from Google's CDN, out of reach here: a stand-in of the two calls they make
    await page
      .context()
      .route(/^https:\/\/ajax\.googleapis\.com\//, (r) =>
        r.fulfill({ contentType: 'text/javascript', body: JQUERY_STANDIN }),
      );
    await page.goto(s.url);
    let sco = await frameWith(page, 'content=playing');
    let toc = await eventually(
      () => tocState(page),
      (t) => current(t) === 'playing_item',
      'the first SCO current',
    );
    assert.deepEqual(enabled(toc), ['playing_item'], 'the quiz is hidden from choice, the rest disabled');
    await sco.getByRole('button', { name: 'Notes' }).click();
    await sco.locator('#txtNotes').fill('Keep the head down');
    await sco.getByRole('button', { name: 'Save' }).click();
    await golfNext(sco, 4);
    sco = await next(page, 'etiquette');
    toc = await eventually(
      () => tocState(page),
      (t) => current(t) === 'etuqiette_item',
      'the second SCO current',
    );
    assert.deepEqual(enabled(toc), ['playing_item', 'etuqiette_item']);
    await sco.getByRole('button', { name: 'Notes' }).click();
    assert.equal(
      await sco.locator('#txtNotes').inputValue(),
      'Keep the head down',
      'notes read in another SCO',
    );

    // the SCO's own jump request (adl.nav.request) passes over two SCOs the learner could not choose
    await sco.getByRole('button', { name: 'Skip to the Test' }).click();
    await frameWith(page, 'content=assessment');
    await eventually(
      () => tocState(page),
      (t) => current(t) === 'assessment_item',
      'the quiz current',
    );
    assert.equal(await answerGolfTest(page, true), 100);
    await page.getByRole('button', { name: 'Save and exit' }).click();
    await page.waitForURL(`${server.url}/courses/${s.course.slug}`);
    const rows = await eventually(
      () => statuses(reg),
      (r) => r.assessment_item === 'completed/passed/1',
      'the quiz passed',
    );
    assert.deepEqual(rows, {
      playing_item: 'completed/unknown/1',
      etuqiette_item: 'incomplete/unknown/1',
      assessment_item: 'completed/passed/1',
    });
    const a = await attempt(reg);
    assert.equal(a.status, 'suspended');
    const seq = a.sequencing as { sharedData: Obj };
    assert.deepEqual(seq.sharedData, {
      'com.scorm.golfsamples.sequencing.forcedsequential.notesStorage': 'Keep the head down',
    });
    const launched = (await verbsOf(reg)).filter((v) => v.startsWith('launched '));
    assert.deepEqual(launched, [
      'launched playing_item',
      'launched etuqiette_item',
      'launched assessment_item',
    ]);
    // only the post-test rolls up: passing it completes the package, though a SCO before it is incomplete
    const progress = await eventually(
      () => enrolmentProgress(s.learner.enrolmentId),
      (p) => p?.status === 'passed',
      "the course passed by the package's rollup",
    );
    assert.equal(Number(progress!.progress_pct), 100);
    assert.equal(Number(progress!.score), 1, 'the quiz score reaches the course progress');
    assert.deepEqual(problems, []);
  });
});

const JQUERY_STANDIN = `(function () {
  if (window.$) return;
  window.$ = function (sel) {
    var el = document.querySelector(sel);
    return {
      dialog: function (o) { if (el) el.style.display = o === 'open' ? 'block' : 'none'; return this; },
      val: function (v) { if (arguments.length) { el.value = v; return this; } return el.value; },
    };
  };
})();`;
