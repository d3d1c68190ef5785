import type { Config } from '../../platform/config.js';
import type { Db } from '../../platform/db.js';
import * as repo from './attempts.repo.js';
import { applyChange, BadPointer, type DocChange, type JsonObject } from './doc-patch.js';
import type { PackageModel } from './package-model.js';
import type { RuntimeRequest } from './runtime.schemas.js';
import type { StatementContext } from './statements.js';

// What the steps of one runtime request share (runtime.service.ts, runtime-tracking.ts).

/** A refused runtime request: HTTP status and the SCORM error code the player reports. */
export class RuntimeRefused extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: number,
    message: string,
  ) {
    super(message);
  }
}

export type Obj = Record<string, unknown>;
export type Trx = Db;

export interface Step {
  trx: Trx;
  config: Pick<Config, 'publicUrl'>;
  auth: repo.SessionAuth;
  model: PackageModel;
  req: RuntimeRequest;
  /** The SCO states this request reads, read once after the lock and kept current by its writes. */
  states: Map<string, repo.ScoState>;
  /** What changes of the attempt row, written once at the end. */
  attemptChanges: repo.AttemptPatch;
  statements: Obj[];
}

/** Changes of the attempt row, kept to be written together at the end of the request. */
export const changeAttempt = (s: Step, patch: repo.AttemptPatch) =>
  void Object.assign(s.attemptChanges, patch);

/** Writes what changed of a SCO state (nothing when nothing did) and keeps it for the rest of the request. */
export async function saveScoState(s: Step, next: repo.ScoState): Promise<void> {
  const was = s.states.get(next.sco_id);
  s.states.set(next.sco_id, next);
  if (was) await repo.updateScoState(s.trx, was, next);
  else await repo.upsertScoState(s.trx, next);
}

/** Whether (session, q) comes after what was last applied: older or repeated requests change nothing. */
export const isNewer = (session: number, q: number, lastSession: number, lastQ: number) =>
  session > lastSession || (session === lastSession && q > lastQ);

export function statementContext(s: Step, scoId: string, scoAttempt: number): StatementContext {
  const item = s.model.items.get(scoId);
  return {
    publicUrl: s.config.publicUrl,
    userId: s.auth.attempt.user_id,
    registration: s.auth.attempt.registration,
    packageId: s.model.packageId,
    courseTitle: s.model.title,
    scoId,
    scoTitle: item?.title ?? scoId,
    lang: s.model.lang,
    attemptKey: `${s.auth.attempt.id}-${scoAttempt}`,
    version: s.model.manifest.version,
  };
}

/** For statements about the package as a whole, grouped by the platform attempt. */
export const courseContext = (s: Step): StatementContext => ({
  ...statementContext(s, '', 0),
  attemptKey: s.auth.attempt.id,
});

export function scoOf(s: Step): string {
  const sco = s.req.sco;
  if (!sco || !s.model.items.get(sco)?.launch) throw new RuntimeRefused(400, 301, 'unknown SCO');
  return sco;
}

export function patched(doc: JsonObject, change: DocChange): JsonObject {
  try {
    return applyChange(doc, change);
  } catch (err) {
    if (err instanceof BadPointer) throw new RuntimeRefused(400, 351, err.message);
    throw err;
  }
}
