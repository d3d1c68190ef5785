import assert from 'node:assert/strict';
import path from 'node:path';
import type { Browser, Frame, Page } from 'playwright-core';
import { activityIri } from '../../../src/modules/h5p/index.js';
import { launchBrowser, seriousA11yViolations, watchConsole } from '../../helpers/browser.js';
import { fixture, needFixtures } from '../../integration/packages/helpers.js';
import { contentFrame, h5pCourse, shotsDir, signInAs, startH5pServer, type H5pServer } from './helpers.js';

const ANSWERED = 'http://adlnet.gov/expapi/verbs/answered';
const COMPLETED = 'http://adlnet.gov/expapi/verbs/completed';

interface Stored {
  statement: {
    actor: { account?: { name: string; homePage: string }; name?: string };
    object: { id: string };
    result?: {
      score?: { scaled?: number; raw?: number; max?: number };
      success?: boolean;
      completion?: boolean;
    };
    context?: { registration?: string; contextActivities?: { parent?: { id: string }[] } };
  };
}

describe('h5p: playing, tracking and resuming in Chromium', function () {
  this.timeout(600_000);
  let server: H5pServer;
  let browser: Browser;
  let page: Page;
  let problems: string[];
  let setup: Awaited<ReturnType<typeof h5pCourse>>;
  const TRUE_FALSE = 0;
  const MULTI_CHOICE = 1;
  const QUESTION_SET = 2;
  const INTERACTIVE_VIDEO = 3;

  before(async function () {
    needFixtures(this);
    server = await startH5pServer();
    setup = await h5pCourse(server, [
      fixture('h5p/H5P.TrueFalse_hello-world.h5p'),
      fixture('h5p/H5P.MultiChoice_hub-example.h5p'),
      fixture('h5p/H5P.QuestionSet_hub-example.h5p'),
      fixture('h5p/H5P.InteractiveVideo_hub-example.h5p'),
    ]);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    problems = watchConsole(page);
    await signInAs(page, server.url, setup.learner);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  const db = () => server.ctx.db;
  const iri = (i: number) => activityIri(server.url, setup.activities[i]!.id);
  const shoot = async (name: string) => {
    if (shotsDir) await page.screenshot({ path: path.join(shotsDir, `${name}.png`), fullPage: true });
  };
  const open = async (i: number): Promise<Frame> => {
    await page.goto(`${server.url}/courses/${setup.course.slug}/activities/${setup.activities[i]!.id}`);
    return contentFrame(page, server.contentOrigin);
  };
  /** Statements of this content (its IRI or sub-contents) with this verb, oldest first; waits for `atLeast`. */
  async function statements(i: number, verb: string, atLeast = 1, where: 'main' | 'any' = 'main') {
    for (let n = 0; n < 200; n++) {
      const rows = (await db()('statements')
        .where('verb_id', verb)
        .andWhere((q) =>
          where === 'main'
            ? q.where('activity_id', iri(i))
            : q.where('activity_id', iri(i)).orWhere('activity_id', 'like', `${iri(i)}?subContentId=%`),
        )
        .orderBy('seq')
        .select('statement')) as Stored[];
      if (rows.length >= atLeast) return rows.map((r) => r.statement);
      await page.waitForTimeout(100);
    }
    throw new Error(`fewer than ${atLeast} ${verb} statements for activity ${i}`);
  }
  const checkButton = (frame: Frame) => frame.locator('.h5p-question-check-answer:visible').first();

  it('plays True/False on the content origin inside the course page, the learner as its user', async () => {
    const frame = await open(TRUE_FALSE);
    await frame.getByRole('radio', { name: 'False' }).waitFor();
    const src = await page.locator('iframe.h5p-frame').getAttribute('src');
    assert.ok(src?.startsWith(server.contentOrigin + '/h5p/play/'), src ?? '');
    assert.equal(
      await frame.evaluate(() => self.origin),
      server.contentOrigin,
      'the content runs on the content origin',
    );
    assert.equal(
      await frame.evaluate(
        () => (window as unknown as { H5PIntegration: { user: { name: string } } }).H5PIntegration.user.name,
      ),
      'Lena Learner',
    );
    await shoot('h5p-true-false');
    assert.deepEqual(await seriousA11yViolations(page), []);
    assert.deepEqual(problems, []);
  });

  it('stores answered statements of True/False with the right scores, the learner and the registration', async () => {
    const frame = await open(TRUE_FALSE);
    await frame.getByRole('radio', { name: 'True' }).click();
    await checkButton(frame).click();
    const [wrong] = await statements(TRUE_FALSE, ANSWERED, 1);
    assert.equal(wrong!.result?.score?.scaled, 0);
    assert.equal(wrong!.result?.success, false);
    assert.equal(wrong!.actor.account?.name, setup.learner.id);
    assert.equal(wrong!.actor.account?.homePage, server.url);
    assert.equal(wrong!.context?.registration, setup.enrolment.registration);
    await frame.locator('.h5p-question-try-again:visible').click();
    await frame.getByRole('radio', { name: 'False' }).click();
    await checkButton(frame).click();
    const right = (await statements(TRUE_FALSE, ANSWERED, 2))[1]!;
    assert.equal(right.result?.score?.scaled, 1);
    assert.equal(right.result?.success, true);
    await page.getByText('Answer recorded: 100 %.').waitFor();
    await shoot('h5p-true-false-answered');
    const progress = (await db()('progress_activities')
      .where({ enrolment_id: setup.enrolment.id, activity_id: setup.activities[TRUE_FALSE]!.id })
      .first()) as { status: string; score: number } | undefined;
    assert.ok(['completed', 'passed'].includes(progress?.status ?? ''), progress?.status);
    assert.equal(Number(progress?.score), 1);
    assert.deepEqual(problems, []);
  });

  it('stores the answered statement of Multiple Choice with its score', async () => {
    const frame = await open(MULTI_CHOICE);
    await frame.locator('.h5p-answer', { hasText: 'Very dark purple' }).click();
    await checkButton(frame).click();
    const [answered] = await statements(MULTI_CHOICE, ANSWERED, 1);
    assert.equal(answered!.result?.score?.scaled, 1);
    assert.equal(answered!.context?.registration, setup.enrolment.registration);
    await shoot('h5p-multi-choice');
    assert.deepEqual(problems, []);
  });

  /** Gives some answer to the question on show (the True/False ones right) and checks it. */
  async function answerShownQuestion(frame: Frame) {
    const shown = (sel: string) => frame.locator(`.question-container${sel}:visible`);
    if (await shown('.h5p-true-false').count())
      await shown('.h5p-true-false').getByRole('radio', { name: 'True' }).click();
    else if (await shown('.h5p-blanks').count()) {
      for (const input of await shown('.h5p-blanks').locator('input.h5p-text-input').all())
        if (!(await input.inputValue())) await input.fill('Norway');
    } else if (await shown('.h5p-mark-the-words').count())
      await shown('.h5p-mark-the-words').getByRole('option').first().click();
    else if (await shown('.h5p-drag-text').count()) {
      const q = shown('.h5p-drag-text');
      if (await q.locator('.h5p-drag-draggables-container .ui-draggable').count())
        await q.locator('.ui-draggable').first().dragTo(q.locator('.ui-droppable').first());
    } else if (await shown('.h5p-multichoice').count()) {
      const q = shown('.h5p-multichoice');
      if (!(await q.locator('.h5p-answer[aria-checked="true"]').count()))
        await q.locator('.h5p-answer').first().click();
    }
    const check = frame.locator('.h5p-question-check-answer:visible');
    if (await check.count()) await check.first().click();
  }

  it('restores a Question Set left half-way, as the learner left it', async () => {
    let frame = await open(QUESTION_SET);
    await checkButton(frame).click(); // question 1: nothing is correct, so nothing ticked is right
    const sub = await statements(QUESTION_SET, ANSWERED, 1, 'any');
    const escaped = iri(QUESTION_SET).replace(/[?.]/g, '\\$&');
    assert.match(sub[0]!.object.id, new RegExp(`^${escaped}\\?subContentId=[0-9a-f-]{36}$`));
    assert.equal(sub[0]!.context?.contextActivities?.parent?.[0]?.id, iri(QUESTION_SET));
    await frame.locator('.h5p-question-next:visible').click(); // to the drag question
    await frame.locator('.h5p-question-next:visible').click(); // to the first fill-in-the-blanks
    await frame.locator('.question-container.h5p-blanks:visible input.h5p-text-input').fill('Norway');
    await frame.locator('.h5p-question-next:visible').click(); // to mark the words, and leave
    await frame.locator('.question-container.h5p-mark-the-words:visible').waitFor();
    await page.goto(`${server.url}/courses/${setup.course.slug}`);
    let saved: { progress?: number; answers?: unknown[] } | undefined;
    for (let n = 0; n < 100 && saved?.progress !== 3; n++) {
      const doc = (await db()('lrs_documents')
        .where({ kind: 'state', activity_id: iri(QUESTION_SET), doc_id: 'h5p:state:0' })
        .first()) as { content: Uint8Array; registration: string } | undefined;
      if (doc) saved = JSON.parse(Buffer.from(doc.content).toString('utf8')) as typeof saved;
      if (saved?.progress !== 3) await page.waitForTimeout(100);
    }
    assert.equal(saved?.progress, 3, 'the state at the fourth question was saved on leaving');
    assert.deepEqual(saved?.answers?.[2], ['Norway']);

    frame = await open(QUESTION_SET);
    await frame.locator('.question-container.h5p-mark-the-words:visible').waitFor();
    await shoot('h5p-question-set-restored');
    await frame.locator('.h5p-question-prev:visible').click();
    assert.equal(
      await frame.locator('.question-container.h5p-blanks:visible input.h5p-text-input').inputValue(),
      'Norway',
    );
    assert.deepEqual(problems, []);
  });

  it('completes the activity with the rolled-up score when the Question Set is finished', async () => {
    const frame = await open(QUESTION_SET);
    for (let q = 0; q < 12; q++) {
      await answerShownQuestion(frame);
      const finish = frame.locator('.h5p-question-finish:visible');
      if (await finish.count()) {
        await finish.click();
        break;
      }
      await frame.locator('.h5p-question-next:visible').click({ timeout: 10_000 });
      await page.waitForTimeout(300);
    }
    const [completed] = await statements(QUESTION_SET, COMPLETED, 1);
    const score = completed!.result!.score!;
    // rolled up by the Question Set from its questions: both True/False answered right (1 point each)
    const answers = await statements(QUESTION_SET, ANSWERED, 1, 'any');
    const trueFalse = answers.filter((a) => a.object.id !== iri(QUESTION_SET) && a.result?.score?.max === 1);
    assert.ok(
      trueFalse.filter((a) => a.result?.success).length >= 2,
      'the True/False questions were answered',
    );
    assert.ok(score.raw! >= 2 && score.max! > score.raw!, JSON.stringify(score));
    assert.equal(score.scaled, Math.round((score.raw! / score.max!) * 10000) / 10000);
    let progress: { status: string; score: number } | undefined;
    for (let n = 0; n < 50 && !['completed', 'passed', 'failed'].includes(progress?.status ?? ''); n++) {
      progress = (await db()('progress_activities')
        .where({ enrolment_id: setup.enrolment.id, activity_id: setup.activities[QUESTION_SET]!.id })
        .first()) as typeof progress;
      if (!['completed', 'passed', 'failed'].includes(progress?.status ?? '')) await page.waitForTimeout(100);
    }
    assert.ok(['completed', 'passed', 'failed'].includes(progress?.status ?? ''), progress?.status);
    assert.equal(Number(progress?.score), score.scaled);
    await page.getByText(`Completed, with a score of ${Math.round(score.scaled! * 100)} %.`).waitFor();
    await shoot('h5p-question-set-finished');
    assert.deepEqual(problems, []);
  });

  it('plays Interactive Video although its video (an external URL) does not load offline', async () => {
    const frame = await open(INTERACTIVE_VIDEO);
    await frame.locator('.h5p-interactive-video').waitFor();
    await shoot('h5p-interactive-video');
    assert.deepEqual(
      problems.filter(
        (p) => !/h5p\.org|ERR_NAME_NOT_RESOLVED|ERR_INTERNET_DISCONNECTED|Failed to load resource/.test(p),
      ),
      [],
    );
  });
});
