import type { Db } from '../../platform/db.js';
import { num } from './reports.repo.js';

// One learner in one course: their activities and items, and the registration's statements (timeline, attempts).

type Row = Record<string, unknown>;

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
  // an item that decides its activity (a package as a whole) is the activity's own row
  const items = (await db('course_activity_iris as i')
    .join('activities as a', 'a.id', 'i.activity_id')
    .where('a.course_id', courseId)
    .where('i.decides', false)
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
    .select('i.iri', db.raw('coalesce(i.title, a.title) as title'), 'a.id as activity_id', 'i.decides')) as {
    iri: string;
    title: string;
    activity_id: string;
    decides: boolean;
  }[];
}

// what timelines and attempts read of a statement: parsing only these keeps long exports quick
const STATEMENT_PARTS = `jsonb_build_object('verb', s.statement->'verb', 'object', s.statement->'object',
  'result', s.statement->'result', 'timestamp', s.statement->'timestamp', 'stored', s.statement->'stored')`;

export interface StatementLine {
  seq: number;
  /** `stored` as the database writes it (to the microsecond), to start the next batch after it exactly */
  stored: string;
  /** its verb, object, result, timestamp and stored */
  statement: Row;
}

/**
 * A registration's statements in stored order, newest first unless `oldestFirst`, `limit` of them after the
 * statement `after` when given: keyset pagination on (stored, seq), one range of the LRS's statement_related
 * lookup index (ident, kind, stored desc, seq desc) read forwards or backwards.
 */
export async function statementsOfRegistration(
  db: Db,
  registration: string,
  o: { limit: number; oldestFirst?: boolean; after?: Pick<StatementLine, 'stored' | 'seq'> },
): Promise<StatementLine[]> {
  const dir = o.oldestFirst ? 'asc' : 'desc';
  const q = db('statement_related as r')
    .join('statements as s', 's.seq', 'r.seq')
    .where({ 'r.kind': 6, 'r.ident': registration.toLowerCase() })
    .where('s.voided', false)
    .where('s.voiding', false)
    .select('s.seq', db.raw('r.stored::text as stored'), db.raw(`${STATEMENT_PARTS} as statement`))
    .orderBy([
      { column: 'r.stored', order: dir },
      { column: 'r.seq', order: dir },
    ])
    .limit(o.limit);
  if (o.after) {
    const [cmp, bound] = o.oldestFirst ? ['>', '>='] : ['<', '<='];
    // the plain bound on stored repeats the row comparison for the planner: without it, it misjudges how many
    // rows follow and reads and sorts all of them for every batch instead of walking the index
    q.where('r.stored', bound, db.raw('?::timestamptz', [o.after.stored]));
    q.whereRaw(`(r.stored, r.seq) ${cmp} (?::timestamptz, ?::bigint)`, [o.after.stored, o.after.seq]);
  }
  return ((await q) as StatementLine[]).map((r) => ({ ...r, seq: Number(r.seq) }));
}

/** All of a registration's statements in stored order, `batch` at a time (exports, attempts). */
export async function* statementBatches(
  db: Db,
  registration: string,
  o: { batch: number; oldestFirst?: boolean },
): AsyncIterable<StatementLine[]> {
  let after: StatementLine | undefined;
  for (;;) {
    const rows = await statementsOfRegistration(db, registration, { ...o, limit: o.batch, after });
    if (rows.length) yield rows;
    if (rows.length < o.batch) return;
    after = rows.at(-1);
  }
}
