import type { Knex } from 'knex';
import type { Db } from '../../platform/db.js';
import type { ReportFilters } from './progress.schemas.js';
import { num } from './reports.repo.js';

// A course report's figures: they read that course's rows of the projections (progress_*), never the statements.

type Row = Record<string, unknown>;

/** Enrolments of a course (withdrawn ones left out), narrowed by the report's filters. */
export function enrolmentsOf(db: Db, courseId: string, f: ReportFilters): Knex.QueryBuilder {
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
export const courseProgress = (j: Knex.JoinClause, courseId: string) =>
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
