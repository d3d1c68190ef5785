import type { Knex } from 'knex';
import type { Db } from '../../platform/db.js';
import type { LearningProgress } from '../courses/index.js';
import type { ReportFilters, Sort } from './progress.schemas.js';

// Report queries: they read the projections (progress_*), never the statements.

type Row = Record<string, unknown>;
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** Enrolments of a course (withdrawn ones left out), narrowed by the report's filters. */
function enrolmentsOf(db: Db, courseId: string, f: ReportFilters): Knex.QueryBuilder {
  const q = db('enrolments as e').where('e.course_id', courseId).whereNot('e.status', 'withdrawn');
  if (f.group) q.whereIn('e.user_id', db('group_members').where('group_id', f.group).select('user_id'));
  if (f.from) q.where('e.enrolled_at', '>=', f.from);
  if (f.to) q.whereRaw(`e.enrolled_at < (?::date + 1)`, [f.to]);
  return q;
}

/**
 * Joins an enrolment's projection, read through progress_enrolments_course_idx: naming the course lets the
 * planner take only that course's rows instead of hashing every course's projection.
 */
const courseProgress = (j: Knex.JoinClause, courseId: string) =>
  j.on('pe.enrolment_id', 'e.id').andOnVal('pe.course_id', courseId);

export interface CourseSummary {
  enrolled: number;
  notStarted: number;
  inProgress: number;
  completed: number;
  passed: number;
  failed: number;
  averageScore: number | null;
  medianScore: number | null;
  medianTimeMs: number | null;
}

export async function courseSummary(db: Db, courseId: string, f: ReportFilters): Promise<CourseSummary> {
  const row = (await enrolmentsOf(db, courseId, f)
    .leftJoin('progress_enrolments as pe', (j) => courseProgress(j, courseId))
    .first(
      db.raw('count(*) as enrolled'),
      db.raw('count(*) filter (where pe.enrolment_id is null) as not_started'),
      db.raw('count(*) filter (where pe.enrolment_id is not null and not pe.completed) as in_progress'),
      db.raw('count(*) filter (where pe.completed) as completed'),
      db.raw('count(*) filter (where pe.success is true) as passed'),
      db.raw('count(*) filter (where pe.success is false) as failed'),
      db.raw('avg(pe.score) as avg_score'),
      db.raw('percentile_cont(0.5) within group (order by pe.score) as median_score'),
      db.raw(
        'percentile_cont(0.5) within group (order by pe.time_ms) filter (where pe.time_ms > 0) as median_time',
      ),
    )) as Row;
  return {
    enrolled: Number(row.enrolled),
    notStarted: Number(row.not_started),
    inProgress: Number(row.in_progress),
    completed: Number(row.completed),
    passed: Number(row.passed),
    failed: Number(row.failed),
    averageScore: num(row.avg_score),
    medianScore: num(row.median_score),
    medianTimeMs: num(row.median_time),
  };
}

/** Learners per score decile (0–9%, …, 90–100%). */
export async function scoreDistribution(db: Db, courseId: string, f: ReportFilters): Promise<number[]> {
  const rows = (await enrolmentsOf(db, courseId, f)
    .join('progress_enrolments as pe', (j) => courseProgress(j, courseId))
    .whereNotNull('pe.score')
    .select(db.raw('least(9, greatest(0, floor(pe.score * 10)))::int as bucket'), db.raw('count(*) as n'))
    .groupByRaw('1')) as { bucket: number; n: string | number }[];
  const out = Array.from({ length: 10 }, () => 0);
  for (const r of rows) out[Number(r.bucket)] = Number(r.n);
  return out;
}

export interface DayActivity {
  day: string;
  statements: number;
  learners: number;
}

/** Statements and active learners per day (UTC) over [from, to]. */
export async function activityByDay(
  db: Db,
  courseId: string,
  f: ReportFilters,
  range: { from: string; to: string },
): Promise<DayActivity[]> {
  const rows = (await enrolmentsOf(db, courseId, { group: f.group })
    .join('progress_days as d', 'd.enrolment_id', 'e.id')
    .where('d.course_id', courseId) // one range of progress_days_course_day_idx
    .whereBetween('d.day', [range.from, range.to])
    .select(
      db.raw(`to_char(d.day, 'YYYY-MM-DD') as day`),
      db.raw('sum(d.statements) as s'),
      db.raw('count(*) as l'),
    )
    .groupBy('d.day')) as { day: string; s: string | number; l: string | number }[];
  const byDay = new Map(rows.map((r) => [r.day, r]));
  const out: DayActivity[] = [];
  for (
    let d = new Date(range.from + 'T00:00:00Z');
    d <= new Date(range.to + 'T00:00:00Z');
    d.setUTCDate(d.getUTCDate() + 1)
  ) {
    const key = d.toISOString().slice(0, 10);
    const r = byDay.get(key);
    out.push({ day: key, statements: Number(r?.s ?? 0), learners: Number(r?.l ?? 0) });
  }
  return out;
}

export interface ActivityBreakdown {
  id: string;
  title: string;
  kind: string;
  started: number;
  completed: number;
  passed: number;
  failed: number;
  averageScore: number | null;
}

/** Per tracked activity of the course: how many started, completed, passed, failed; average score. */
export async function activityBreakdown(
  db: Db,
  courseId: string,
  f: ReportFilters,
): Promise<ActivityBreakdown[]> {
  const activities = (await db('activities as a')
    .where('a.course_id', courseId)
    .whereExists(db('course_activity_iris as i').whereRaw('i.activity_id = a.id'))
    .orderBy('a.position')
    .select('a.id', 'a.title', 'a.kind')) as { id: string; title: string; kind: string }[];
  if (!activities.length) return [];
  const stats = (await enrolmentsOf(db, courseId, f)
    .join('progress_activities as pa', 'pa.enrolment_id', 'e.id')
    .whereIn(
      'pa.activity_id',
      activities.map((a) => a.id),
    ) // the course's rows of progress_activities_activity_idx, not every course's
    .groupBy('pa.activity_id')
    .select(
      'pa.activity_id',
      db.raw('count(*) as started'),
      db.raw('count(*) filter (where pa.completed) as completed'),
      db.raw('count(*) filter (where pa.success is true) as passed'),
      db.raw('count(*) filter (where pa.success is false) as failed'),
      db.raw('avg(pa.score) as avg_score'),
    )) as Row[];
  const byId = new Map(stats.map((r) => [String(r.activity_id), r]));
  return activities.map((a) => {
    const r = byId.get(a.id) ?? {};
    return {
      ...a,
      started: Number(r.started ?? 0),
      completed: Number(r.completed ?? 0),
      passed: Number(r.passed ?? 0),
      failed: Number(r.failed ?? 0),
      averageScore: num(r.avg_score),
    };
  });
}

export interface LearnerRow {
  user_id: string;
  name: string;
  email: string;
  enrolment_id: string;
  enrolled_at: Date;
  status: string;
  progress_pct: number;
  score: number | null;
  time_ms: number;
  attempts: number;
  last_at: Date | null;
  completed_at: Date | null;
}

const SORT_SQL: Record<Sort, string> = {
  name: 'lower(u.name)',
  status: `case coalesce(pe.status, 'not_started') when 'not_started' then 0 when 'in_progress' then 1 when 'completed' then 2 when 'failed' then 3 else 4 end`,
  score: 'pe.score',
  time: 'pe.time_ms',
  attempts: 'pe.attempts',
  last: 'pe.last_at',
  progress: 'pe.progress_pct',
};

export async function learnerList(
  db: Db,
  courseId: string,
  f: ReportFilters,
  o: { sort: Sort; dir: 'asc' | 'desc'; limit: number; offset: number },
): Promise<{ rows: LearnerRow[]; total: number }> {
  const base = enrolmentsOf(db, courseId, f);
  const [{ n }] = (await base.clone().count({ n: '*' })) as unknown as [{ n: string | number }];
  const rows = (await base
    .join('users as u', 'u.id', 'e.user_id')
    .leftJoin('progress_enrolments as pe', (j) => courseProgress(j, courseId))
    .select(
      'u.id as user_id',
      'u.name',
      'u.email',
      'e.id as enrolment_id',
      'e.enrolled_at',
      db.raw(`coalesce(pe.status, 'not_started') as status`),
      db.raw('coalesce(pe.progress_pct, 0) as progress_pct'),
      'pe.score',
      db.raw('coalesce(pe.time_ms, 0) as time_ms'),
      db.raw('coalesce(pe.attempts, 0) as attempts'),
      'pe.last_at',
      'pe.completed_at',
    )
    .orderByRaw(`${SORT_SQL[o.sort]} ${o.dir} nulls last, lower(u.name), e.id`)
    .limit(o.limit)
    .offset(o.offset)) as LearnerRow[];
  return { rows: rows.map(normaliseLearner), total: Number(n) };
}

const normaliseLearner = (r: LearnerRow): LearnerRow => ({
  ...r,
  progress_pct: Number(r.progress_pct),
  score: num(r.score),
  time_ms: Number(r.time_ms),
  attempts: Number(r.attempts),
});

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

export interface ActivityProgress {
  activity_id: string;
  title: string;
  kind: string;
  position: number;
  status: string;
  score: number | null;
  last_score: number | null;
  time_ms: number;
  attempts: number;
  first_at: Date | null;
  last_at: Date | null;
  items: { iri: string; title: string | null; status: string; score: number | null }[];
}

/** Status per tracked activity of an enrolment, with its items (SCOs, H5P contents). */
export async function activitiesOfEnrolment(
  db: Db,
  enrolmentId: string,
  courseId: string,
): Promise<ActivityProgress[]> {
  const acts = (await db('activities as a')
    .where('a.course_id', courseId)
    .whereExists(db('course_activity_iris as i').whereRaw('i.activity_id = a.id'))
    .leftJoin('progress_activities as pa', (j) =>
      j.on('pa.activity_id', 'a.id').andOnVal('pa.enrolment_id', enrolmentId),
    )
    .orderBy('a.position')
    .select(
      'a.id as activity_id',
      'a.title',
      'a.kind',
      'a.position',
      db.raw(`coalesce(pa.status, 'not_started') as status`),
      'pa.score',
      'pa.last_score',
      db.raw('coalesce(pa.time_ms, 0) as time_ms'),
      db.raw('coalesce(pa.attempts, 0) as attempts'),
      'pa.first_at',
      'pa.last_at',
    )) as ActivityProgress[];
  const items = (await db('course_activity_iris as i')
    .join('activities as a', 'a.id', 'i.activity_id')
    .where('a.course_id', courseId)
    .leftJoin('progress_items as pi', (j) =>
      j
        .on('pi.activity_id', 'i.activity_id')
        .andOn('pi.iri', 'i.iri')
        .andOnVal('pi.enrolment_id', enrolmentId),
    )
    .orderBy(['i.activity_id', 'i.created_at', 'i.iri'])
    .select(
      'i.activity_id',
      'i.iri',
      'i.title',
      db.raw(`case when pi.iri is null then 'not_started' when pi.passed_ever then 'passed' when pi.failed_ever then 'failed'
        when pi.completed then 'completed' else 'in_progress' end as status`),
      'pi.best_score as score',
    )) as { activity_id: string; iri: string; title: string | null; status: string; score: number | null }[];
  return acts.map((a) => ({
    ...a,
    score: num(a.score),
    last_score: num(a.last_score),
    time_ms: Number(a.time_ms),
    attempts: Number(a.attempts),
    items: items.filter((i) => i.activity_id === a.activity_id).map((i) => ({ ...i, score: num(i.score) })),
  }));
}

/** The IRIs of a course's items with their titles (to name statement objects). */
export async function courseItems(db: Db, courseId: string) {
  return (await db('course_activity_iris as i')
    .join('activities as a', 'a.id', 'i.activity_id')
    .where('a.course_id', courseId)
    .select('i.iri', db.raw('coalesce(i.title, a.title) as title'), 'a.id as activity_id')) as {
    iri: string;
    title: string;
    activity_id: string;
  }[];
}

export interface StatementLine {
  seq: number;
  statement: Row;
}

/** The statements of a registration, newest first (through the LRS's registration index). */
export async function statementsOfRegistration(
  db: Db,
  registration: string,
  o: { limit: number; beforeSeq?: number; ascending?: boolean },
): Promise<StatementLine[]> {
  const q = db('statement_related as r')
    .join('statements as s', 's.seq', 'r.seq')
    .where({ 'r.kind': 6, 'r.ident': registration.toLowerCase() })
    .where('s.voided', false)
    .where('s.voiding', false)
    .select('s.seq', 's.statement')
    .limit(o.limit);
  if (o.beforeSeq !== undefined) q.where('r.seq', o.ascending ? '>' : '<', o.beforeSeq);
  if (o.ascending)
    q.orderBy('r.seq', 'asc'); // keyset paging by seq (exports)
  else
    q.orderBy([
      { column: 'r.stored', order: 'desc' },
      { column: 'r.seq', order: 'desc' },
    ]);
  return ((await q) as StatementLine[]).map((r) => ({ seq: Number(r.seq), statement: r.statement }));
}

export interface ReportCourse {
  id: string;
  title: string;
  slug: string;
  status: string;
  owner_name: string;
  enrolled: number;
  started: number;
  completed: number;
  average_score: number | null;
}

export async function reportCourses(db: Db, o: { ownerId?: string; limit: number; offset: number }) {
  const base = db('courses as c');
  if (o.ownerId) base.where('c.owner_id', o.ownerId);
  const [{ n }] = (await base.clone().count({ n: '*' })) as unknown as [{ n: string | number }];
  const rows = (await base
    .join('users as u', 'u.id', 'c.owner_id')
    .leftJoin('enrolments as e', (j) => j.on('e.course_id', 'c.id').andOnVal('e.status', '<>', 'withdrawn'))
    .leftJoin('progress_enrolments as pe', 'pe.enrolment_id', 'e.id')
    .groupBy('c.id', 'u.name')
    .orderByRaw('lower(c.title), c.id')
    .limit(o.limit)
    .offset(o.offset)
    .select(
      'c.id',
      'c.title',
      'c.slug',
      'c.status',
      'u.name as owner_name',
      db.raw('count(e.id) as enrolled'),
      db.raw('count(pe.enrolment_id) as started'),
      db.raw('count(*) filter (where pe.completed) as completed'),
      db.raw('avg(pe.score) as average_score'),
    )) as ReportCourse[];
  return {
    rows: rows.map((r) => ({
      ...r,
      enrolled: Number(r.enrolled),
      started: Number(r.started),
      completed: Number(r.completed),
      average_score: num(r.average_score),
    })),
    total: Number(n),
  };
}
