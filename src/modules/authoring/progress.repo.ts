import type { Db } from '../../platform/db.js';

export interface AttemptRow {
  id: string;
  authored_course_id: string;
  user_id: string;
  enrolment_id: string;
  registration: string;
  version: number;
  launched_at: Date;
  completed_at: Date | null;
}
export interface QuizResultRow {
  id: string;
  attempt_id: string;
  block_id: string;
  score_scaled: number;
  passed: boolean;
  responses: Record<string, string[]>;
  submitted_at: Date;
}

export const findAttempt = (db: Db, registration: string): Promise<AttemptRow | undefined> =>
  db<AttemptRow>('authored_attempts').where({ registration }).first();

export async function insertAttempt(
  db: Db,
  a: Pick<AttemptRow, 'authored_course_id' | 'user_id' | 'enrolment_id' | 'registration' | 'version'>,
): Promise<AttemptRow | undefined> {
  const [row] = await db('authored_attempts').insert(a).onConflict('registration').ignore().returning('*');
  return row as AttemptRow | undefined;
}

export const lockAttempt = (db: Db, id: string): Promise<AttemptRow | undefined> =>
  db<AttemptRow>('authored_attempts').where({ id }).forUpdate().first();

export const touchLaunch = (db: Db, id: string) =>
  db('authored_attempts').where({ id }).update({ launched_at: db.fn.now(), updated_at: db.fn.now() });

export const markAttemptCompleted = (db: Db, id: string) =>
  db('authored_attempts')
    .where({ id })
    .whereNull('completed_at')
    .update({ completed_at: db.fn.now(), updated_at: db.fn.now() });

export async function completedLessonIds(db: Db, attemptId: string): Promise<Set<string>> {
  const rows = (await db('authored_lesson_completions')
    .where({ attempt_id: attemptId })
    .select('lesson_id')) as {
    lesson_id: string;
  }[];
  return new Set(rows.map((r) => r.lesson_id));
}

/** True when this call recorded the completion (false when it was already there). */
export async function insertLessonCompletion(db: Db, attemptId: string, lessonId: string): Promise<boolean> {
  const rows = await db('authored_lesson_completions')
    .insert({ attempt_id: attemptId, lesson_id: lessonId })
    .onConflict(['attempt_id', 'lesson_id'])
    .ignore()
    .returning('lesson_id');
  return rows.length > 0;
}

export async function insertQuizResult(
  db: Db,
  r: Pick<QuizResultRow, 'attempt_id' | 'block_id' | 'score_scaled' | 'passed' | 'responses'>,
): Promise<QuizResultRow> {
  const [row] = await db('authored_quiz_results')
    .insert({ ...r, responses: JSON.stringify(r.responses) })
    .returning('*');
  return row as QuizResultRow;
}

/** The newest result of each quiz of the attempt. */
export async function latestQuizResults(db: Db, attemptId: string): Promise<Map<string, QuizResultRow>> {
  const rows = (await db('authored_quiz_results')
    .where({ attempt_id: attemptId })
    .orderBy('submitted_at', 'asc')
    .orderBy('id')) as QuizResultRow[];
  return new Map(rows.map((r) => [r.block_id, { ...r, score_scaled: Number(r.score_scaled) }]));
}
