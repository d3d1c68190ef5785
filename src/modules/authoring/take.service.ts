import type { Config } from '../../platform/config.js';
import type { Db } from '../../platform/db.js';
import { Conflict, Forbidden, NotFound } from '../../platform/errors.js';
import type { SessionUser } from '../../platform/http/types.js';
import { courseForLearner } from '../courses/index.js';
import { storeStatements } from '../lrs/index.js';
import * as repo from './authoring.repo.js';
import { QuizAnswerValue, type QuizBlock, type Snapshot } from './authoring.schemas.js';
import * as progress from './progress.repo.js';
import { versionSnapshot } from './publish.service.js';
import { scoreQuiz, type Answer, type QuizOutcome } from './quiz.js';
import * as st from './statements.js';

// A new "session" (launched + initialized) when the learner comes back after this long.
const SESSION_GAP_MS = 30 * 60_000;

export interface Taking {
  course: { id: string; slug: string; title: string; language: string };
  authored: repo.AuthoredCourseRow;
  snapshot: Snapshot;
  /** Null when the viewer is not enrolled (the author previewing): nothing is tracked. */
  attempt: progress.AttemptRow | null;
  enrolmentId: string | null;
  registration: string | null;
}

export const lessonsOf = (s: Snapshot) => s.sections.flatMap((x) => x.lessons);

/** The published version this viewer takes: their attempt's version, else the newest. */
export async function takingFor(db: Db, viewer: SessionUser, slug: string): Promise<Taking> {
  const found = await courseForLearner(db, viewer, slug);
  if (!found) throw new NotFound('course');
  if (!found.mayOpen) throw new Forbidden('courses:errors.enrolFirst');
  const authored = await repo.findAuthoredCourseByPlatformCourse(db, found.course.id);
  if (!authored?.published_version) throw new NotFound('course');
  const live =
    found.enrolment && found.enrolment.status !== 'withdrawn' && found.enrolment.user_id === viewer.id
      ? found.enrolment
      : null;
  const attempt = live ? ((await progress.findAttempt(db, live.registration)) ?? null) : null;
  const snapshot = await versionSnapshot(db, authored.id, attempt?.version ?? authored.published_version);
  return {
    course: found.course,
    authored,
    snapshot,
    attempt,
    enrolmentId: live?.id ?? null,
    registration: live?.registration ?? null,
  };
}

const tracking = (
  config: Config,
  viewer: SessionUser,
  t: Taking,
  registration: string,
): st.TrackingContext => ({
  publicUrl: config.publicUrl,
  userId: viewer.id,
  registration,
  snapshot: t.snapshot,
});

/** Opening the course: starts the attempt (or a new session of it) with launched + initialized. */
export async function launch(db: Db, config: Config, viewer: SessionUser, slug: string): Promise<Taking> {
  const t = await takingFor(db, viewer, slug);
  if (!t.registration || !t.enrolmentId) return t;
  const registration = t.registration;
  const enrolmentId = t.enrolmentId;
  const fresh = !t.attempt || Date.now() - new Date(t.attempt.launched_at).getTime() > SESSION_GAP_MS;
  if (!fresh) return t;
  const attempt = await db.transaction(async (trx) => {
    let a = await progress.insertAttempt(trx, {
      authored_course_id: t.authored.id,
      user_id: viewer.id,
      enrolment_id: enrolmentId,
      registration,
      version: t.snapshot.version,
    });
    if (!a) {
      a = (await progress.lockAttempt(trx, t.attempt?.id ?? ''))!;
      await progress.touchLaunch(trx, a.id);
    }
    await storeStatements(
      trx,
      st.launchStatements(tracking(config, viewer, t, registration)),
      st.platformAuth(config.publicUrl),
    );
    return a;
  });
  return { ...t, attempt };
}

export function findLesson(s: Snapshot, lessonId: string) {
  const all = lessonsOf(s);
  const index = all.findIndex((l) => l.id === lessonId);
  if (index < 0) throw new NotFound('lesson');
  return { lesson: all[index]!, index, all, previous: all[index - 1] ?? null, next: all[index + 1] ?? null };
}

/** Where the learner stands: lessons done, newest quiz results, progress. */
export async function standing(db: Db, t: Taking) {
  const done = t.attempt ? await progress.completedLessonIds(db, t.attempt.id) : new Set<string>();
  const results = t.attempt
    ? await progress.latestQuizResults(db, t.attempt.id)
    : new Map<string, progress.QuizResultRow>();
  const total = lessonsOf(t.snapshot).length;
  const enrolment = t.enrolmentId
    ? ((await db('enrolments').where({ id: t.enrolmentId }).first('status')) as
        { status: string } | undefined)
    : undefined;
  return {
    done,
    results,
    percent: total ? Math.round((done.size / total) * 100) : 0,
    /** the course's completion rule is met (the progress projection completed the enrolment) */
    completed: enrolment?.status === 'completed',
    /** every lesson is done, which the rule may not be satisfied by (e.g. a quiz to pass) */
    finished: !!t.attempt?.completed_at,
  };
}

/** Reads `q_<questionId>` fields of a quiz form into answers. */
export function answersFrom(quiz: QuizBlock, body: Record<string, unknown>): Record<string, Answer> {
  const answers: Record<string, Answer> = {};
  for (const q of quiz.questions) {
    const parsed = QuizAnswerValue.safeParse(body[`q_${q.id}`]);
    if (parsed.success) answers[q.id] = parsed.data;
  }
  return answers;
}

function quizIn(s: Snapshot, blockId: string) {
  for (const l of lessonsOf(s))
    for (const b of l.blocks) if (b.id === blockId && b.kind === 'quiz') return { lesson: l, quiz: b };
  throw new NotFound('quiz');
}

/** Scores a quiz; for an enrolled learner stores the result with answered + passed/failed statements. */
export async function submitQuiz(
  db: Db,
  config: Config,
  viewer: SessionUser,
  slug: string,
  blockId: string,
  body: Record<string, unknown>,
) {
  const t = await takingFor(db, viewer, slug);
  const { lesson, quiz } = quizIn(t.snapshot, blockId);
  const outcome: QuizOutcome = scoreQuiz(quiz, answersFrom(quiz, body));
  if (t.attempt && t.registration) {
    const c = tracking(config, viewer, t, t.registration);
    await db.transaction(async (trx) => {
      await progress.insertQuizResult(trx, {
        attempt_id: t.attempt!.id,
        block_id: quiz.id,
        score_scaled: outcome.scaled,
        passed: outcome.passed,
        responses: Object.fromEntries(outcome.outcomes.map((o) => [o.questionId, o.response])),
      });
      await storeStatements(
        trx,
        st.quizStatements(c, lesson.id, quiz, outcome),
        st.platformAuth(config.publicUrl),
      );
    });
  }
  return { t, lesson, quiz, outcome, tracked: !!t.attempt };
}

/**
 * The learner finished a lesson (every quiz in it submitted at least once): records it with
 * completed + progressed; the last one adds `completed` on the course. The enrolment is completed by the
 * progress projection of those statements, under the course's completion rule, as for any other content.
 */
export async function completeLesson(
  db: Db,
  config: Config,
  viewer: SessionUser,
  slug: string,
  lessonId: string,
) {
  const t = await takingFor(db, viewer, slug);
  const { lesson, next } = findLesson(t.snapshot, lessonId);
  if (!t.attempt || !t.registration) return { t, next, courseCompleted: false };
  const attemptId = t.attempt.id;
  const c = tracking(config, viewer, t, t.registration);
  const courseCompleted = await db.transaction(async (trx) => {
    const attempt = await progress.lockAttempt(trx, attemptId);
    if (!attempt) throw new NotFound('course');
    const results = await progress.latestQuizResults(trx, attemptId);
    if (lesson.blocks.some((b) => b.kind === 'quiz' && !results.has(b.id)))
      throw new Conflict('authoring:take.quizFirst');
    if (!(await progress.insertLessonCompletion(trx, attemptId, lesson.id))) return false;
    const done = await progress.completedLessonIds(trx, attemptId);
    const all = lessonsOf(t.snapshot);
    const doneCount = all.filter((l) => done.has(l.id)).length;
    const statements = st.lessonStatements(c, lesson.id, (doneCount / all.length) * 100);
    const finished = doneCount === all.length && !attempt.completed_at;
    if (finished) statements.push(st.courseCompletedStatement(c));
    await storeStatements(trx, statements, st.platformAuth(config.publicUrl));
    if (finished) await progress.markAttemptCompleted(trx, attemptId);
    return finished;
  });
  return { t, next, courseCompleted };
}
