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
}

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

/** The session of a token hash with its attempt, locked for this transaction's commit. */
export async function sessionByTokenHash(db: Db, tokenHash: string): Promise<SessionAuth | undefined> {
  const s = (await db('scorm_sessions')
    .where({ token_hash: tokenHash })
    .first('id', 'number', 'expires_at', 'attempt_id')) as
    { id: string; number: number; expires_at: Date; attempt_id: string } | undefined;
  if (!s) return undefined;
  const attempt = await lockAttempt(db, s.attempt_id);
  if (!attempt) return undefined;
  return { session_id: s.id, session_number: s.number, expires_at: new Date(s.expires_at), attempt };
}

export const findScoState = (db: Db, attemptId: string, scoId: string): Promise<ScoStateRow | undefined> =>
  db<ScoStateRow>('scorm_sco_states').where({ attempt_id: attemptId, sco_id: scoId }).first();

export const listScoStates = (db: Db, attemptId: string): Promise<ScoStateRow[]> =>
  db<ScoStateRow>('scorm_sco_states').where({ attempt_id: attemptId }).orderBy('created_at');

export async function upsertScoState(
  db: Db,
  row: Omit<ScoStateRow, 'created_at' | 'updated_at'>,
): Promise<void> {
  const values = {
    ...row,
    cmi: JSON.stringify(row.cmi),
    stated: JSON.stringify(row.stated),
    held_tracking: row.held_tracking && JSON.stringify(row.held_tracking),
  };
  await db('scorm_sco_states')
    .insert(values)
    .onConflict(['attempt_id', 'sco_id'])
    .merge({ ...values, updated_at: db.fn.now() });
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
