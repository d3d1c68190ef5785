import type { Db } from '../../platform/db.js';
import type { Sort, ReportFilters } from './progress.schemas.js';
import { courseProgress, enrolmentsOf } from './course-report.repo.js';
import { num } from './reports.repo.js';

// A course's learner list: one page of it for the report, or all of it in keyset batches for the exports.

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

/** Each sort's SQL and its type: a batch's last sort value goes back to the database as text, cast exactly. */
const SORT_KEYS: Record<Sort, { sql: string; type: string }> = {
  name: { sql: 'lower(u.name)', type: 'text' },
  status: {
    sql: `case coalesce(pe.status, 'not_started') when 'not_started' then 0 when 'in_progress' then 1 when 'completed' then 2 when 'failed' then 3 else 4 end`,
    type: 'integer',
  },
  score: { sql: 'pe.score', type: 'double precision' },
  time: { sql: 'pe.time_ms', type: 'bigint' },
  attempts: { sql: 'pe.attempts', type: 'integer' },
  last: { sql: 'pe.last_at', type: 'timestamptz' },
  progress: { sql: 'pe.progress_pct', type: 'integer' },
};
export interface LearnerOrder {
  sort: Sort;
  dir: 'asc' | 'desc';
}
// the list's order: the sort (empty values last), then name, then enrolment, so that every row has one place
const orderSql = (o: LearnerOrder) => `${SORT_KEYS[o.sort].sql} ${o.dir} nulls last, lower(u.name), e.id`;

/** The learner list's rows of a course, in no order yet. */
function learnerRows(db: Db, courseId: string, f: ReportFilters) {
  return enrolmentsOf(db, courseId, f)
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
    );
}

/** One page of the learner list (the report page), with the number of learners. */
export async function learnerList(
  db: Db,
  courseId: string,
  f: ReportFilters,
  o: LearnerOrder & { limit: number; offset: number },
): Promise<{ rows: LearnerRow[]; total: number }> {
  const [{ n }] = (await enrolmentsOf(db, courseId, f).count({ n: '*' })) as unknown as [
    { n: string | number },
  ];
  const rows = (await learnerRows(db, courseId, f)
    .orderByRaw(orderSql(o))
    .limit(o.limit)
    .offset(o.offset)) as LearnerRow[];
  return { rows: rows.map(normaliseLearner), total: Number(n) };
}

/** Where a batch ended: its last row's sort value (as text; null when empty), lower-cased name and enrolment. */
interface LearnerCursor {
  key: string | null;
  name: string;
  enrolmentId: string;
}

/**
 * The whole learner list in the page's order, `batch` rows at a time (exports): keyset pagination, each batch
 * starting after the previous one's last row, so no row is read twice or skipped while others are added.
 */
export async function* learnerBatches(
  db: Db,
  courseId: string,
  f: ReportFilters,
  o: LearnerOrder & { batch: number },
): AsyncIterable<LearnerRow[]> {
  const { sql, type } = SORT_KEYS[o.sort];
  const cmp = o.dir === 'asc' ? '>' : '<';
  let after: LearnerCursor | undefined;
  for (;;) {
    const q = learnerRows(db, courseId, f)
      .select(db.raw(`(${sql})::text as sort_key`), db.raw('lower(u.name) as name_key'))
      .orderByRaw(orderSql(o))
      .limit(o.batch);
    if (after) {
      const tie = [after.name, after.enrolmentId];
      // the rows after the cursor in "sort dir nulls last, name, enrolment" order
      if (after.key === null) q.whereRaw(`${sql} is null and (lower(u.name), e.id) > (?, ?::uuid)`, tie);
      else
        q.whereRaw(
          `(${sql} ${cmp} ?::${type} or ${sql} is null or (${sql} = ?::${type} and (lower(u.name), e.id) > (?, ?::uuid)))`,
          [after.key, after.key, ...tie],
        );
    }
    const rows = (await q) as (LearnerRow & { sort_key: string | null; name_key: string })[];
    if (rows.length) yield rows.map(({ sort_key: _k, name_key: _n, ...r }) => normaliseLearner(r));
    if (rows.length < o.batch) return;
    const last = rows.at(-1)!;
    after = { key: last.sort_key, name: last.name_key, enrolmentId: last.enrolment_id };
  }
}

const normaliseLearner = (r: LearnerRow): LearnerRow => ({
  ...r,
  progress_pct: Number(r.progress_pct),
  score: num(r.score),
  time_ms: Number(r.time_ms),
  attempts: Number(r.attempts),
});
