import type { Knex } from 'knex';
import type { Db } from '../../platform/db.js';
import type { ActivityRow } from '../courses/index.js';
import { markEnrolmentCompleted } from '../courses/index.js';
import type { StoredStatement } from '../lrs/index.js';
import {
  mergeSql,
  rollupActivitiesSql,
  rollupEnrolmentsSql,
  type Scope,
  type Source,
} from './projection.sql.js';
import { claimCompletions, type CompletionMet } from './rules.repo.js';
import { VERBS } from './verbs.js';

type Obj = Record<string, unknown>;

/** Derives the IRIs of an activity of one kind from its row (for kinds that do not register them). */
export type IriResolver = (activity: ActivityRow) => { iri: string; title?: string | null }[];
const resolvers = new Map<string, IriResolver>();
export function registerIriResolver(kind: string, resolver: IriResolver): void {
  resolvers.set(kind, resolver);
}

/** Runs, in the statements' transaction, for enrolments that have just met their course's completion rule. */
export type CompletionHandler = (trx: Db, met: CompletionMet[]) => Promise<void>;
const completionHandlers: CompletionHandler[] = [];
export function onCompletion(handler: CompletionHandler): void {
  if (!completionHandlers.includes(handler)) completionHandlers.push(handler);
}

/**
 * Registers an xAPI activity id tracked by a course activity (a SCO, an H5P content…); idempotent. An item
 * that `decides` (a SCORM 2004 package's root) completes the activity by itself, with its verdict and score.
 */
export async function registerActivityIri(
  db: Db,
  activityId: string,
  iri: string,
  title: string | null = null,
  options: { decides?: boolean } = {},
): Promise<void> {
  const inserted = await db('course_activity_iris')
    .insert({ activity_id: activityId, iri, title, decides: options.decides ?? false })
    .onConflict(['activity_id', 'iri'])
    .ignore()
    .returning('iri');
  if (!inserted.length) return;
  // the course has one more tracked item: progress % and completion of its learners change
  const ids = (await db('progress_enrolments as pe')
    .join('activities as a', 'a.course_id', 'pe.course_id')
    .where('a.id', activityId)
    .pluck('pe.enrolment_id')) as string[];
  if (ids.length) await rollup(db, { enrolmentIds: ids });
}

/** Materialises the resolvers' IRIs for activities that have none yet. */
async function resolveIris(db: Db, where: { registrations: string[] } | { all: true }): Promise<void> {
  if (!resolvers.size) return;
  const q = db('activities as a')
    .whereIn('a.kind', [...resolvers.keys()])
    .whereNotExists(db('course_activity_iris as i').whereRaw('i.activity_id = a.id'))
    .select('a.*');
  if ('registrations' in where)
    q.whereIn(
      'a.course_id',
      db('enrolments').whereIn('registration', where.registrations).select('course_id'),
    );
  const missing = (await q) as ActivityRow[];
  const rows = missing.flatMap((a) =>
    (resolvers.get(a.kind)?.(a) ?? []).map((x) => ({
      activity_id: a.id,
      iri: x.iri,
      title: x.title ?? null,
    })),
  );
  if (rows.length) await db('course_activity_iris').insert(rows).onConflict(['activity_id', 'iri']).ignore();
}

async function merge(db: Db, src: Source): Promise<string[]> {
  const { sql, bindings } = mergeSql(src);
  const res = (await db.raw(sql, bindings as Knex.RawBinding[])) as { rows: { enrolment_id: string }[] };
  return res.rows.map((r) => r.enrolment_id);
}

async function rollup(db: Db, scope: Scope): Promise<void> {
  if ('enrolmentIds' in scope && !scope.enrolmentIds.length) return;
  for (const q of [rollupActivitiesSql(scope), rollupEnrolmentsSql(scope)])
    await db.raw(q.sql, q.bindings as Knex.RawBinding[]);
}

/** Marks the enrolments that now meet their rule as completed and hands them to the completion handlers. */
export async function settleCompletions(
  db: Db,
  where: { enrolmentIds: string[] } | { courseId: string },
): Promise<CompletionMet[]> {
  if ('enrolmentIds' in where && !where.enrolmentIds.length) return [];
  const met = await claimCompletions(db, where);
  if (!met.length) return met;
  for (const m of met) await markEnrolmentCompleted(db, m.enrolmentId);
  for (const h of completionHandlers) await h(db, met);
  return met;
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The transaction hook: folds a batch of new statements into the projections. */
export async function projectStatements(trx: Db, stored: StoredStatement[]): Promise<void> {
  const byRegistration = new Map<string, string[]>();
  const voidedTargets: string[] = [];
  for (const { id, statement } of stored) {
    const verb = isObj(statement.verb) ? statement.verb.id : undefined;
    const obj = isObj(statement.object) ? statement.object : {};
    if (verb === VERBS.voided && obj.objectType === 'StatementRef' && typeof obj.id === 'string')
      voidedTargets.push(obj.id.toLowerCase());
    const reg = isObj(statement.context) ? statement.context.registration : undefined;
    if (typeof reg !== 'string') continue;
    const list = byRegistration.get(reg.toLowerCase()) ?? [];
    list.push(id);
    byRegistration.set(reg.toLowerCase(), list);
  }
  const touched: string[] = [];
  if (voidedTargets.length) {
    // a voided statement cannot be subtracted: recompute its registration (this batch included)
    const regs = (await trx('statements')
      .whereIn('id', voidedTargets)
      .whereNotNull('registration')
      .distinct()
      .pluck('registration')) as string[];
    for (const reg of regs) {
      const id = await rebuildRegistration(trx, reg.toLowerCase());
      if (id) touched.push(id);
      byRegistration.delete(reg.toLowerCase());
    }
  }
  const ids = [...byRegistration.values()].flat();
  if (ids.length) {
    await resolveIris(trx, { registrations: [...byRegistration.keys()] });
    const merged = await merge(trx, { ids });
    await rollup(trx, { enrolmentIds: merged });
    touched.push(...merged);
  }
  await settleCompletions(trx, { enrolmentIds: touched });
}

async function rebuildRegistration(trx: Db, registration: string): Promise<string | undefined> {
  const enrolment = (await trx('enrolments').where({ registration }).first('id')) as
    { id: string } | undefined;
  if (!enrolment) return undefined;
  for (const t of PROJECTIONS) await trx(t).where({ enrolment_id: enrolment.id }).delete();
  await resolveIris(trx, { registrations: [registration] });
  await merge(trx, { registrations: [registration] });
  await rollup(trx, { enrolmentIds: [enrolment.id] });
  return enrolment.id;
}

const PROJECTIONS = [
  'progress_items',
  'progress_children',
  'progress_activities',
  'progress_enrolments',
  'progress_days',
];

/**
 * Recomputes the projections from the statements: of one registration, or of everything. Completions already
 * recorded stay recorded (certificates are never issued by a rebuild).
 */
export async function rebuildProgress(db: Db, opts: { registration?: string } = {}): Promise<void> {
  const run = async (trx: Db) => {
    if (opts.registration) {
      await rebuildRegistration(trx, opts.registration.toLowerCase());
      return;
    }
    for (const t of PROJECTIONS) await trx(t).delete();
    await resolveIris(trx, { all: true });
    await merge(trx, { all: true });
    await rollup(trx, { all: true });
    // the tables were rewritten whole: fresh statistics keep report queries on their indexes
    for (const t of PROJECTIONS) await trx.raw(`analyze ${t}`);
  };
  if ((db as Knex.Transaction).isTransaction) await run(db);
  else await db.transaction(run);
}
