import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Frame, Page } from 'playwright-core';
import { buildUser } from '../../factories.js';
import { launchBrowser, watchConsole } from '../../helpers/browser.js';
import * as repo from '../../../src/modules/authoring/authoring.repo.js';
import { diskFileStore } from '../../../src/modules/authoring/files.storage.js';
import { exportPublished } from '../../../src/modules/authoring/export.service.js';
import { zipToBuffer } from '../../../src/modules/authoring/export/package.js';
import { asSession, buildAuthoredCourse } from '../../integration/authoring/fixtures.js';
import { enrolledLearner, scormCourseFromZip, statementsOf } from '../../integration/scorm/helpers.js';
import { eventually, frameWith, signInAs, startScormServer, type ScormServer } from '../scorm/helpers.js';

type Obj = Record<string, unknown>;

// The SCORM exports of an authored course, imported back as a trainer imports any package and taken by a
// learner in the platform's SCORM player: what the export's runtime reports must land in the platform.
describe('authored course exports taken in the platform SCORM player (Chromium)', function () {
  this.timeout(180_000);
  let server: ScormServer;
  let browser: Browser;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wch-authored-roundtrip-'));

  before(async () => {
    server = await startScormServer();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const db = () => server.ctx.db;

  /** An authored course exported as `format`, imported back, made a course with one enrolled learner. */
  async function exportedCourse(format: 'scorm12' | 'scorm2004') {
    const store = diskFileStore(server.ctx.config.contentDir);
    const author = await buildUser(db());
    const built = await buildAuthoredCourse(db(), store, asSession(author), {
      publish: server.ctx.config,
      title: `Exported ${format}`,
    });
    const course = (await repo.findAuthoredCourse(db(), built.course.id))!;
    const { files } = await exportPublished(server.ctx, store, course, format);
    const zipPath = path.join(dir, `${format}.zip`);
    fs.writeFileSync(zipPath, await zipToBuffer(files));
    const c = await scormCourseFromZip(server.ctx, zipPath);
    const learner = await enrolledLearner(db(), c.course.id);
    return { ...c, learner, url: `${server.url}/courses/${c.course.slug}/activities/${c.activity.id}` };
  }

  async function learnerTab(user: { email: string; password: string }) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const problems = watchConsole(page);
    await signInAs(page, server.url, user);
    return { page, problems };
  }

  /** Reading → Next; the quiz answered with `answers` (question id → values); Next to complete the course. */
  async function takeCourse(sco: Frame, answers: Record<string, string | string[]>, result: RegExp) {
    await sco.getByRole('heading', { name: 'Reading' }).waitFor();
    await sco.locator('section.lesson:not([hidden])').getByRole('button', { name: 'Next' }).click();
    const quiz = sco.locator('form[data-quiz]');
    for (const [q, a] of Object.entries(answers)) {
      if (q === 'qshort') await quiz.locator('input[name="q_qshort"]').fill(a as string);
      else for (const v of [a].flat()) await quiz.locator(`input[name="q_${q}"][value="${v}"]`).check();
    }
    await quiz.getByRole('button', { name: 'Check my answers' }).click();
    await sco.getByText(result).waitFor();
    await sco.locator('section.lesson:not([hidden])').getByRole('button', { name: 'Next' }).click();
    await sco.getByText('You have completed the course.').waitFor();
  }

  const scoRow = async (registration: string) =>
    (await db()('scorm_sco_states as s')
      .join('scorm_attempts as a', 'a.id', 's.attempt_id')
      .where('a.registration', registration)
      .select('s.*')
      .first()) as (Obj & { cmi: { cmi: Obj }; completion: string; success: string }) | undefined;

  const enrolmentProgress = async (enrolmentId: string) =>
    (await db()('progress_enrolments').where({ enrolment_id: enrolmentId }).first()) as Obj | undefined;

  const answeredResponses = (statements: Awaited<ReturnType<typeof statementsOf>>) =>
    statements
      .filter((s) => s.verb === 'answered')
      .map((s) => {
        const r = s.statement.result as Obj;
        return [s.object.split('/').pop(), r.response, r.success];
      });

  async function leave(page: Page) {
    await page.getByRole('button', { name: 'Save and exit' }).click();
    await page.waitForURL(/\/courses\/[^/]+$/);
  }

  it('SCORM 1.2: completion, score, passed, the answers and course progress are recorded', async () => {
    const s = await exportedCourse('scorm12');
    const { page, problems } = await learnerTab(s.learner);
    await page.goto(s.url);
    const sco = await frameWith(page, /\/index\.html/);
    await takeCourse(
      sco,
      { qsingle: 'b', qmulti: ['a', 'c'], qtf: 'true', qshort: ' CMI5 ' },
      /Score: 100 %/,
    );
    await leave(page);

    const row = await eventually(
      () => scoRow(s.learner.registration),
      (r) => r?.success === 'passed' && r.completion === 'completed',
      'the SCO passed',
    );
    const core = row!.cmi.cmi.core as Obj;
    assert.equal(core.lesson_status, 'passed');
    assert.deepEqual(core.score, { raw: '100', min: '0', max: '100' });
    const interactions = Object.values(row!.cmi.cmi.interactions as Obj) as Obj[];
    assert.deepEqual(
      interactions.map((i) => [i.id, i.student_response, i.result]),
      [
        ['q_qsingle', 'b', 'correct'],
        ['q_qmulti', 'a,c', 'correct'],
        ['q_qtf', 't', 'correct'],
        ['q_qshort', 'CMI5', 'correct'],
      ],
    );

    const statements = await statementsOf(db(), s.learner.registration);
    const verbs = statements.map((x) => x.verb);
    for (const v of ['launched', 'initialized', 'answered', 'completed', 'passed', 'terminated'])
      assert.ok(verbs.includes(v), `${v} in ${verbs.join(', ')}`);
    assert.deepEqual(answeredResponses(statements), [
      ['q_qsingle', 'b', true],
      ['q_qmulti', 'a[,]c', true],
      ['q_qtf', 'true', true],
      ['q_qshort', 'CMI5', true],
    ]);
    const passed = statements.find((x) => x.verb === 'passed')!.statement.result as Obj;
    assert.equal((passed.score as Obj).scaled, 1);

    const progress = await eventually(
      () => enrolmentProgress(s.learner.enrolmentId),
      (p) => Number(p?.progress_pct) === 100,
      'course progress',
    );
    assert.equal(progress!.status, 'passed');
    const enrolment = await db()('enrolments').where({ id: s.learner.enrolmentId }).first();
    assert.equal(enrolment.status, 'completed');
    assert.deepEqual(problems, []);
  });

  it('SCORM 2004: completion, success, scaled score, the answers and course progress are recorded', async () => {
    const s = await exportedCourse('scorm2004');
    const { page, problems } = await learnerTab(s.learner);
    await page.goto(s.url);
    const sco = await frameWith(page, /\/index\.html/);
    // Three of four right: 75 %, the pass mark.
    await takeCourse(sco, { qsingle: 'b', qmulti: ['a', 'c'], qtf: 'false', qshort: 'xapi' }, /Score: 75 %/);
    await leave(page);

    const row = await eventually(
      () => scoRow(s.learner.registration),
      (r) => r?.success === 'passed' && r.completion === 'completed',
      'the SCO passed',
    );
    const cmi = row!.cmi.cmi;
    assert.equal(cmi.completion_status, 'completed');
    assert.equal(cmi.success_status, 'passed');
    assert.equal((cmi.score as Obj).scaled, '0.75');
    const interactions = Object.values(cmi.interactions as Obj) as Obj[];
    assert.deepEqual(
      interactions.map((i) => [i.id, i.learner_response, i.result]),
      [
        ['urn:wch:question:qsingle', 'b', 'correct'],
        ['urn:wch:question:qmulti', 'a[,]c', 'correct'],
        ['urn:wch:question:qtf', 'false', 'incorrect'],
        ['urn:wch:question:qshort', 'xapi', 'correct'],
      ],
    );

    const statements = await statementsOf(db(), s.learner.registration);
    const verbs = statements.map((x) => x.verb);
    for (const v of ['launched', 'initialized', 'answered', 'completed', 'passed', 'terminated'])
      assert.ok(verbs.includes(v), `${v} in ${verbs.join(', ')}`);
    assert.deepEqual(
      answeredResponses(statements).map(([, response, success]) => [response, success]),
      [
        ['b', true],
        ['a[,]c', true],
        ['false', false],
        ['xapi', true],
      ],
    );

    const progress = await eventually(
      () => enrolmentProgress(s.learner.enrolmentId),
      (p) => Number(p?.progress_pct) === 100,
      'course progress',
    );
    assert.equal(progress!.status, 'passed');
    assert.equal(Number(progress!.score), 0.75);
    assert.deepEqual(problems, []);
  });
});
