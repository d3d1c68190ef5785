import type { Db } from '../../platform/db.js';
import type { LearningProgress } from '../courses/index.js';

// An enrolment's rolled-up progress (My learning, a learner's pages); read from progress_enrolments.

export const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

export interface EnrolmentProgress {
  enrolment_id: string;
  course_id: string;
  course_title: string;
  course_slug: string;
  registration: string;
  enrolled_at: Date;
  enrolment_status: string;
  status: string;
  progress_pct: number;
  score: number | null;
  time_ms: number;
  attempts: number;
  first_at: Date | null;
  last_at: Date | null;
  completed_at: Date | null;
}

function progressQuery(db: Db) {
  return db('enrolments as e')
    .join('courses as c', 'c.id', 'e.course_id')
    .leftJoin('progress_enrolments as pe', 'pe.enrolment_id', 'e.id')
    .select(
      'e.id as enrolment_id',
      'c.id as course_id',
      'c.title as course_title',
      'c.slug as course_slug',
      'e.registration',
      'e.enrolled_at',
      'e.status as enrolment_status',
      db.raw(`coalesce(pe.status, 'not_started') as status`),
      db.raw('coalesce(pe.progress_pct, 0) as progress_pct'),
      'pe.score',
      db.raw('coalesce(pe.time_ms, 0) as time_ms'),
      db.raw('coalesce(pe.attempts, 0) as attempts'),
      'pe.first_at',
      'pe.last_at',
      'pe.completed_at',
    );
}
const normaliseProgress = (r: EnrolmentProgress): EnrolmentProgress => ({
  ...r,
  progress_pct: Number(r.progress_pct),
  score: num(r.score),
  time_ms: Number(r.time_ms),
  attempts: Number(r.attempts),
});

/** One enrolment's rolled-up progress (for My learning and other modules). */
export async function enrolmentProgress(db: Db, enrolmentId: string): Promise<EnrolmentProgress | undefined> {
  const row = (await progressQuery(db).where('e.id', enrolmentId).first()) as EnrolmentProgress | undefined;
  return row && normaliseProgress(row);
}

/** For My learning: status, percentage and the activity touched last of each enrolment that has progress. */
export async function learningProgress(
  db: Db,
  enrolmentIds: string[],
): Promise<Map<string, LearningProgress>> {
  const rows = (await db('progress_enrolments as pe')
    .whereIn('pe.enrolment_id', enrolmentIds)
    .select(
      'pe.enrolment_id',
      'pe.status',
      'pe.progress_pct',
      db
        .select('pa.activity_id')
        .from('progress_activities as pa')
        .whereRaw('pa.enrolment_id = pe.enrolment_id')
        .orderByRaw('pa.last_at desc nulls last')
        .limit(1)
        .as('last_activity_id'),
    )) as {
    enrolment_id: string;
    status: string;
    progress_pct: number | string;
    last_activity_id: string | null;
  }[];
  return new Map(
    rows.map((r) => [
      r.enrolment_id,
      { status: r.status, progressPct: Number(r.progress_pct), lastActivityId: r.last_activity_id },
    ]),
  );
}

export async function learnerEnrolment(db: Db, courseId: string, userId: string) {
  const row = (await progressQuery(db).where({ 'e.course_id': courseId, 'e.user_id': userId }).first()) as
    EnrolmentProgress | undefined;
  return row && normaliseProgress(row);
}

/** A learner's enrolments across courses; only courses owned by `ownerId` when given. */
export async function learnerCourses(db: Db, userId: string, ownerId?: string): Promise<EnrolmentProgress[]> {
  const q = progressQuery(db).where('e.user_id', userId).orderBy('e.enrolled_at', 'desc');
  if (ownerId) q.where('c.owner_id', ownerId);
  return ((await q) as EnrolmentProgress[]).map(normaliseProgress);
}
