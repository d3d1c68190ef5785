import assert from 'node:assert/strict';
import { buildUser } from '../../factories.js';
import { startTestApp, type TestApp } from '../../helpers/http.js';
import type { Config } from '../../../src/platform/config.js';
import type { Database } from '../../../src/platform/db.js';
import { rebuildProgress } from '../../../src/modules/progress/index.js';
import { saveRule } from '../../../src/modules/progress/rules.repo.js';
import * as repo from '../../../src/modules/authoring/authoring.repo.js';
import { diskFileStore } from '../../../src/modules/authoring/files.storage.js';
import { publish, versionSnapshot } from '../../../src/modules/authoring/publish.service.js';
import { updateBlock } from '../../../src/modules/authoring/blocks.service.js';
import {
  completeLesson,
  launch,
  standing,
  submitQuiz,
  takingFor,
} from '../../../src/modules/authoring/take.service.js';
import { enrolLearners } from '../../../src/modules/courses/enrolments.repo.js';
import { asSession, buildAuthoredCourse } from './fixtures.js';

describe('publishing and taking an authored course (integration)', () => {
  // The app's modules register what taking needs: the progress projections and the authored activities' IRI.
  let t: TestApp;
  let d: Database;
  let config: Config;
  let store: ReturnType<typeof diskFileStore>;
  before(async function () {
    this.timeout(180_000);
    t = await startTestApp();
    d = t.database;
    config = t.ctx.config;
    store = diskFileStore(config.contentDir);
  });
  after(() => t?.close());

  it('publishing freezes a version; editing the draft changes only the next one', async () => {
    const author = asSession(await buildUser(d.db));
    const { course, lessons } = await buildAuthoredCourse(d.db, store, author, { publish: config });
    const text = (await repo.listBlocks(d.db, lessons[0]!.id))[0]!;
    await updateBlock(d.db, { store, peertubeHosts: [] }, author, course.id, text.id, {
      markdown: 'Changed in the draft',
    });

    const v1 = await versionSnapshot(d.db, course.id, 1);
    const first = v1.sections[0]!.lessons[0]!.blocks[0]!;
    assert.equal(first.kind === 'text' && first.markdown, 'Hello **world**');
    const platform = await d
      .db('courses')
      .where({ id: (await repo.findAuthoredCourse(d.db, course.id))!.course_id })
      .first();
    assert.equal(platform.status, 'published');
    const activities = await d.db('activities').where({ course_id: platform.id });
    assert.equal(activities.length, 1);
    assert.equal(activities[0].kind, 'authored');
    assert.deepEqual(activities[0].content_ref, { authoredCourseId: course.id, version: 1 });

    const { version } = await publish(d.db, config, author, course.id);
    assert.equal(version, 2);
    const v2 = await versionSnapshot(d.db, course.id, 2);
    const second = v2.sections[0]!.lessons[0]!.blocks[0]!;
    assert.equal(second.kind === 'text' && second.markdown, 'Changed in the draft');
    const again = await versionSnapshot(d.db, course.id, 1);
    assert.deepEqual(again, v1, 'version 1 is unchanged');
    const [activity] = await d.db('activities').where({ course_id: platform.id });
    assert.deepEqual(activity.content_ref, { authoredCourseId: course.id, version: 2 });
    assert.equal((await d.db('activities').where({ course_id: platform.id })).length, 1);
  });

  it("registers the course's IRI with progress on publishing; activities published before get it derived", async () => {
    const author = asSession(await buildUser(d.db));
    const learner = asSession(await buildUser(d.db));
    const { course, published } = await buildAuthoredCourse(d.db, store, author, { publish: config });
    const [activity] = await d.db('activities').where({ course_id: published!.courseId });
    const iris = () =>
      d.db('course_activity_iris').where({ activity_id: activity.id }).select('iri', 'title');
    const expected = [
      { iri: `${config.publicUrl}/xapi/activities/authored/${course.id}`, title: 'Test course' },
    ];
    assert.deepEqual(await iris(), expected);
    await publish(d.db, config, author, course.id);
    assert.deepEqual(await iris(), expected, 'every version shares the one IRI');

    await d.db('course_activity_iris').where({ activity_id: activity.id }).delete(); // as if published before
    await enrolLearners(d.db, published!.courseId, [learner.id], learner.id);
    const { registration } = await d.db('enrolments').where({ user_id: learner.id }).first();
    await rebuildProgress(d.db, { registration });
    assert.deepEqual(await iris(), expected);
  });

  it('refuses to publish another member’s course and an empty one', async () => {
    const author = asSession(await buildUser(d.db));
    const other = asSession(await buildUser(d.db));
    const { course } = await buildAuthoredCourse(d.db, store, author);
    await assert.rejects(publish(d.db, config, other, course.id), { status: 404 });
    const empty = await repo.insertAuthoredCourse(d.db, {
      owner_id: author.id,
      title: 'Empty',
      language: 'en',
    });
    await assert.rejects(publish(d.db, config, author, empty.id), { status: 409 });
  });

  it('tracks a learner: statements in the same transaction as progress, completion on My learning', async () => {
    const author = asSession(await buildUser(d.db));
    const learner = asSession(await buildUser(d.db));
    const { course, lessons, quiz, published } = await buildAuthoredCourse(d.db, store, author, {
      publish: config,
    });
    const platformCourse = await d.db('courses').where({ id: published!.courseId }).first();
    await enrolLearners(d.db, platformCourse.id, [learner.id], learner.id);
    const enrolment = await d
      .db('enrolments')
      .where({ course_id: platformCourse.id, user_id: learner.id })
      .first();

    await launch(d.db, config, learner, platformCourse.slug);
    await launch(d.db, config, learner, platformCourse.slug); // within the session gap: no new statements
    await completeLesson(d.db, config, learner, platformCourse.slug, lessons[0]!.id);
    await assert.rejects(completeLesson(d.db, config, learner, platformCourse.slug, lessons[1]!.id), {
      status: 409,
    });
    const failed = await submitQuiz(d.db, config, learner, platformCourse.slug, quiz.id, {
      q_qsingle: 'a',
      q_qtf: 'true',
    });
    assert.equal(failed.outcome.passed, false);
    const passed = await submitQuiz(d.db, config, learner, platformCourse.slug, quiz.id, {
      q_qsingle: 'b',
      q_qmulti: ['a', 'c'],
      q_qtf: 'true',
      q_qshort: ' CMI5 ',
    });
    assert.equal(passed.outcome.passed, true);
    const done = await completeLesson(d.db, config, learner, platformCourse.slug, lessons[1]!.id);
    assert.equal(done.courseCompleted, true);

    // Only the statements of this course's activities (other modules, e.g. certificates, may add their own).
    const base = `${config.publicUrl}/xapi/activities/authored/${course.id}`;
    const rows = await d
      .db('statements')
      .where({ registration: enrolment.registration })
      .whereLike('activity_id', `${base}%`)
      .orderBy('seq');
    const verbs = rows.map((r: { verb_id: string }) => r.verb_id.split('/').pop());
    assert.deepEqual(verbs, [
      'launched',
      'initialized',
      'completed',
      'progressed',
      'answered',
      'answered',
      'answered',
      'answered',
      'failed',
      'answered',
      'answered',
      'answered',
      'answered',
      'passed',
      'completed',
      'progressed',
      'completed',
    ]);
    for (const r of rows) {
      const s = r.statement;
      assert.deepEqual(s.actor.account, { homePage: config.publicUrl, name: learner.id });
      assert.equal(s.context.registration, enrolment.registration);
      assert.ok(s.object.id.startsWith(base), s.object.id);
    }
    interface Answered {
      object: { id: string; definition: { interactionType: string } };
      result: { response: string; success: boolean };
    }
    const answered = rows
      .filter((r: { verb_id: string }) => r.verb_id.endsWith('answered'))
      .map((r: { statement: Answered }) => r.statement) as Answered[];
    const shorts = answered.filter((s) => s.object.id.endsWith('/questions/qshort'));
    assert.deepEqual(shorts[0]!.result, { response: '', success: false });
    assert.deepEqual(shorts[1]!.result, { response: 'CMI5', success: true });
    assert.equal(shorts[1]!.object.definition.interactionType, 'fill-in');
    const verdict = rows.find((r: { verb_id: string }) => r.verb_id.endsWith('/passed')).statement;
    assert.deepEqual(verdict.result.score, { scaled: 1, raw: 4, min: 0, max: 4 });
    assert.equal(verdict.object.id, `${base}/quizzes/${quiz.id}`);
    const progressed = rows
      .filter((r: { verb_id: string }) => r.verb_id.endsWith('progressed'))
      .map(
        (r: { statement: { result: { extensions: Record<string, number> } } }) =>
          r.statement.result.extensions['https://w3id.org/xapi/cmi5/result/extensions/progress'],
      );
    assert.deepEqual(progressed, [50, 100]);
    const last = rows.at(-1).statement;
    assert.equal(last.object.id, base);
    assert.equal(last.result.completion, true);

    assert.equal((await d.db('enrolments').where({ id: enrolment.id }).first()).status, 'completed');
    const projected = await d.db('progress_enrolments').where({ enrolment_id: enrolment.id }).first();
    assert.deepEqual([projected.status, projected.progress_pct, Number(projected.score)], ['passed', 100, 1]);
    const attempt = await d.db('authored_attempts').where({ registration: enrolment.registration }).first();
    assert.ok(attempt.completed_at);
    assert.equal((await d.db('authored_quiz_results').where({ attempt_id: attempt.id })).length, 2);

    // Completing a lesson again records nothing more.
    const countAll = async () =>
      (await d.db('statements').where({ registration: enrolment.registration })).length;
    const before = await countAll();
    await completeLesson(d.db, config, learner, platformCourse.slug, lessons[1]!.id);
    assert.equal(await countAll(), before);
  });

  it("completes the enrolment only under the course's completion rule, as for any content", async () => {
    const author = asSession(await buildUser(d.db));
    const { lessons, quiz, published } = await buildAuthoredCourse(d.db, store, author, { publish: config });
    const course = await d.db('courses').where({ id: published!.courseId }).first();
    await saveRule(d.db, course.id, { rule: 'passed', minScore: null, hours: null }, author.id);
    const take = async (answers: Record<string, unknown>) => {
      const learner = asSession(await buildUser(d.db));
      await enrolLearners(d.db, course.id, [learner.id], learner.id);
      await launch(d.db, config, learner, course.slug);
      await completeLesson(d.db, config, learner, course.slug, lessons[0]!.id);
      await submitQuiz(d.db, config, learner, course.slug, quiz.id, answers);
      const done = await completeLesson(d.db, config, learner, course.slug, lessons[1]!.id);
      assert.equal(done.courseCompleted, true, 'every lesson done');
      const e = await d.db('enrolments').where({ course_id: course.id, user_id: learner.id }).first();
      const p = await d.db('progress_enrolments').where({ enrolment_id: e.id }).first();
      const shown = await standing(d.db, await takingFor(d.db, learner, course.slug));
      return [e.status, p.status, p.progress_pct, shown.finished, shown.completed];
    };
    // Every lesson done but the quiz failed: the rule "passed" is not met, so the enrolment stays active,
    // and the learner is told that the lessons are done but the course is not.
    assert.deepEqual(await take({ q_qsingle: 'a' }), ['active', 'failed', 100, true, false]);
    assert.deepEqual(await take({ q_qsingle: 'b', q_qmulti: ['a', 'c'], q_qtf: 'true', q_qshort: 'xapi' }), [
      'completed',
      'passed',
      100,
      true,
      true,
    ]);
  });

  it('writes nothing for a viewer who is not enrolled (the author previewing)', async () => {
    const author = asSession(await buildUser(d.db));
    const { quiz, published } = await buildAuthoredCourse(d.db, store, author, { publish: config });
    const slug = (await d.db('courses').where({ id: published!.courseId }).first()).slug;
    await launch(d.db, config, author, slug);
    const out = await submitQuiz(d.db, config, author, slug, quiz.id, { q_qsingle: 'b' });
    assert.equal(out.tracked, false);
    assert.equal(out.outcome.correctCount, 1);
    assert.equal((await d.db('authored_attempts').where({ user_id: author.id })).length, 0);
  });
});
