import type { Db } from '../../platform/db.js';
import type { Completion, Success } from './cmi.js';
import type { JsonObject } from './doc-patch.js';

export type AttemptStatus = 'active' | 'suspended' | 'ended';

export interface AttemptRow {
  id: string;
  user_id: string;
  registration: string;
  enrolment_id: string | null;
  activity_id: string | null;
  package_id: string;
  package_version: number;
  number: number;
  preview: boolean;
  status: AttemptStatus;
  current_sco: string | null;
  sequencing: JsonObject | null;
  seq_session: number;
  seq_q: number;
  /** SCORM 2004: the sequencer's rollup of the package's root activity */
  root_completion: Completion;
  root_success: Success;
  sessions: number;
  completed_at: Date | null;
  ended_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface ScoStateRow {
  attempt_id: string;
  sco_id: string;
  sco_attempt: number;
  cmi: JsonObject;
  last_session: number;
  last_q: number;
  initialized: boolean;
  terminated: boolean;
  completion: Completion;
  success: Success;
  score_scaled: number | null;
  launches: number;
  /** the statuses stated as statements in the current SCO attempt */
  stated: StatedStatuses;
  /** the sequencer's tracking received ahead of the SCO commit it follows (see runtime.service.ts) */
  held_tracking: HeldTracking | null;
  created_at: Date;
  updated_at: Date;
}

export interface StatedStatuses {
  completed?: boolean;
  success?: 'passed' | 'failed';
}

export interface HeldTracking {
  session: number;
  after: number;
  completion: Completion;
  success: Success;
}

export interface SessionAuth {
  session_id: string;
  session_number: number;
  expires_at: Date;
  attempt: AttemptRow;
  /** the learner's name, for the CMI data a SCO starts with */
  learner_name: string;
}

/** A SCO state as the runtime reads and writes it. */
export type ScoState = Omit<ScoStateRow, 'created_at' | 'updated_at'>;

export type AttemptPatch = Parameters<typeof updateAttempt>[2];

export const latestAttempt = (
  db: Db,
  registration: string,
  packageId: string,
): Promise<AttemptRow | undefined> =>
  db<AttemptRow>('scorm_attempts')
    .where({ registration, package_id: packageId })
    .orderBy('number', 'desc')
    .first();

export const findAttempt = (db: Db, id: string): Promise<AttemptRow | undefined> =>
  db<AttemptRow>('scorm_attempts').where({ id }).first();

export const lockAttempt = (db: Db, id: string): Promise<AttemptRow | undefined> =>
  db<AttemptRow>('scorm_attempts').where({ id }).forUpdate().first();

export async function insertAttempt(
  db: Db,
  a: Pick<
    AttemptRow,
    | 'user_id'
    | 'registration'
    | 'enrolment_id'
    | 'activity_id'
    | 'package_id'
    | 'package_version'
    | 'number'
    | 'preview'
  >,
): Promise<AttemptRow> {
  const [row] = await db('scorm_attempts').insert(a).returning('*');
  return row as AttemptRow;
}

export const updateAttempt = (
  db: Db,
  id: string,
  patch: Partial<
    Pick<
      AttemptRow,
      | 'status'
      | 'current_sco'
      | 'seq_session'
      | 'seq_q'
      | 'root_completion'
      | 'root_success'
      | 'sessions'
      | 'completed_at'
      | 'ended_at'
    >
  > & {
    sequencing?: JsonObject | null;
  },
) =>
  db('scorm_attempts')
    .where({ id })
    .update({
      ...patch,
      ...(patch.sequencing !== undefined
        ? { sequencing: patch.sequencing === null ? null : JSON.stringify(patch.sequencing) }
        : {}),
      updated_at: db.fn.now(),
    });

export async function insertSession(
  db: Db,
  attemptId: string,
  number: number,
  tokenHash: string,
  expiresAt: Date,
) {
  await db('scorm_sessions').insert({
    attempt_id: attemptId,
    number,
    token_hash: tokenHash,
    expires_at: expiresAt,
  });
}

/**
 * The session of a token hash with its attempt, locked for this transaction's commit, and the learner's name: one
 * query. Under the lock PostgreSQL gives the attempt's latest row; anything else that others may have changed while
 * the lock was awaited must be read by a later query.
 */
export async function sessionByTokenHash(db: Db, tokenHash: string): Promise<SessionAuth | undefined> {
  const row = (await db('scorm_sessions as s')
    .join('scorm_attempts as a', 'a.id', 's.attempt_id')
    .leftJoin('users as u', 'u.id', 'a.user_id')
    .where('s.token_hash', tokenHash)
    .forUpdate('a')
    .first(
      'a.*',
      's.id as session_id',
      's.number as session_number',
      's.expires_at as session_expires_at',
      'u.name as learner_name',
    )) as
    | (AttemptRow & {
        session_id: string;
        session_number: number;
        session_expires_at: Date;
        learner_name: string | null;
      })
    | undefined;
  if (!row) return undefined;
  const { session_id, session_number, session_expires_at, learner_name, ...attempt } = row;
  return {
    session_id,
    session_number,
    expires_at: new Date(session_expires_at),
    attempt,
    learner_name: learner_name ?? '',
  };
}

/** The attempt's SCO states, or only those of `scoIds`. */
export const listScoStates = (db: Db, attemptId: string, scoIds?: string[]): Promise<ScoStateRow[]> => {
  const q = db<ScoStateRow>('scorm_sco_states').where({ attempt_id: attemptId });
  return scoIds ? q.whereIn('sco_id', scoIds) : q;
};

const serialized = (row: Partial<ScoState>) => ({
  ...row,
  ...(row.cmi !== undefined ? { cmi: JSON.stringify(row.cmi) } : {}),
  ...(row.stated !== undefined ? { stated: JSON.stringify(row.stated) } : {}),
  ...(row.held_tracking !== undefined
    ? { held_tracking: row.held_tracking && JSON.stringify(row.held_tracking) }
    : {}),
});

export async function upsertScoState(db: Db, row: ScoState): Promise<void> {
  const values = serialized(row);
  await db('scorm_sco_states')
    .insert(values)
    .onConflict(['attempt_id', 'sco_id'])
    .merge({ ...values, updated_at: db.fn.now() });
}

const SCO_STATE_COLUMNS = [
  'sco_attempt',
  'cmi',
  'last_session',
  'last_q',
  'initialized',
  'terminated',
  'completion',
  'success',
  'score_scaled',
  'launches',
  'stated',
  'held_tracking',
] as const;

/** Flat JSON objects (`stated`, `held_tracking`) of the same entries, in any order. */
const sameFlat = (a: object | null, b: object | null): boolean => {
  if (a === b) return true;
  if (!a || !b) return false;
  const [x, y] = [a as Record<string, unknown>, b as Record<string, unknown>];
  return Object.keys(x).length === Object.keys(y).length && Object.keys(x).every((k) => x[k] === y[k]);
};

/**
 * Writes the columns of a SCO state that differ from `was` (CMI data compared by identity: a new document is a
 * change); nothing when none does. Gives whether it wrote.
 */
export async function updateScoState(db: Db, was: ScoState, now: ScoState): Promise<boolean> {
  const patch: Partial<ScoState> = {};
  for (const c of SCO_STATE_COLUMNS) {
    const same = c === 'stated' || c === 'held_tracking' ? sameFlat(was[c], now[c]) : was[c] === now[c];
    if (!same) Object.assign(patch, { [c]: now[c] });
  }
  if (!Object.keys(patch).length) return false;
  await db('scorm_sco_states')
    .where({ attempt_id: now.attempt_id, sco_id: now.sco_id })
    .update({ ...serialized(patch), updated_at: db.fn.now() });
  return true;
}

/**
 * Keeps one part of a request sent in parts and gives the whole body once every part is there (the parts
 * are then removed); undefined while parts are missing. Run under the attempt's lock.
 */
export async function addRequestPart(
  db: Db,
  part: { session_id: string; q: number; i: number; n: number; data: string },
): Promise<string | undefined> {
  await db('scorm_request_parts').insert(part).onConflict(['session_id', 'q', 'i']).ignore();
  const parts = (await db('scorm_request_parts')
    .where({ session_id: part.session_id, q: part.q, n: part.n })
    .orderBy('i')
    .select('i', 'data')) as { i: number; data: string }[];
  if (parts.length < part.n) return undefined;
  await db('scorm_request_parts').where({ session_id: part.session_id, q: part.q }).delete();
  return parts.map((p) => p.data).join('');
}
