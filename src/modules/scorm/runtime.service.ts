import { createHash } from 'node:crypto';
import type { Config } from '../../platform/config.js';
import type { Db } from '../../platform/db.js';
import { storeStatements } from '../lrs/index.js';
import * as repo from './attempts.repo.js';
import type { StatedStatuses } from './attempts.repo.js';
import {
  bestCompletion,
  bestSuccess,
  scoStatus,
  startingData,
  type Completion,
  type Success,
} from './cmi.js';
import { applyChange, BadPointer, type DocChange, type JsonObject } from './doc-patch.js';
import { packageModel, scaledPassingScore, type PackageModel } from './package-model.js';
import { RuntimeRequest, type RuntimeResponse } from './runtime.schemas.js';
import {
  courseStatement,
  interactionStatements,
  objectiveStatements,
  scoResult,
  scoStatement,
  scormAuth,
  type StatementContext,
} from './statements.js';

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

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

type Obj = Record<string, unknown>;
type Trx = Db;

interface Step {
  trx: Trx;
  config: Pick<Config, 'publicUrl'>;
  auth: repo.SessionAuth;
  model: PackageModel;
  req: RuntimeRequest;
  learnerName: string;
  statements: Obj[];
}

/** Whether (session, q) comes after what was last applied: older or repeated requests change nothing. */
const isNewer = (session: number, q: number, lastSession: number, lastQ: number) =>
  session > lastSession || (session === lastSession && q > lastQ);

function statementContext(s: Step, scoId: string, scoAttempt: number): StatementContext {
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
const courseContext = (s: Step): StatementContext => ({
  ...statementContext(s, '', 0),
  attemptKey: s.auth.attempt.id,
});

function scoOf(s: Step): string {
  const sco = s.req.sco;
  if (!sco || !s.model.items.get(sco)?.launch) throw new RuntimeRefused(400, 301, 'unknown SCO');
  return sco;
}

function patched(doc: JsonObject, change: DocChange): JsonObject {
  try {
    return applyChange(doc, change);
  } catch (err) {
    if (err instanceof BadPointer) throw new RuntimeRefused(400, 351, err.message);
    throw err;
  }
}

async function deliver(s: Step): Promise<RuntimeResponse> {
  const sco = scoOf(s);
  const { attempt, session_number: session } = s.auth;
  const row = await repo.findScoState(s.trx, attempt.id, sco);
  const version = s.model.manifest.version;
  const start = startingData(
    version,
    row,
    s.model.items.get(sco)!,
    { id: attempt.user_id, name: s.learnerName },
    version === '2004' ? scaledPassingScore(s.model, sco) : undefined,
  );
  const scoAttempt = (row?.sco_attempt ?? 1) + (start.newScoAttempt ? 1 : 0);
  await repo.upsertScoState(s.trx, {
    attempt_id: attempt.id,
    sco_id: sco,
    sco_attempt: scoAttempt,
    cmi: start.doc,
    last_session: session,
    last_q: s.req.q,
    initialized: start.newScoAttempt ? false : (row?.initialized ?? false),
    terminated: false,
    completion: row?.completion ?? 'unknown',
    success: row?.success ?? 'unknown',
    score_scaled: row?.score_scaled ?? null,
    launches: (row?.launches ?? 0) + 1,
    stated: start.newScoAttempt ? {} : (row?.stated ?? {}),
    held_tracking: null,
  });
  await repo.updateAttempt(s.trx, attempt.id, { current_sco: sco, status: 'active' });
  // the launch is recorded even for a SCO that never calls the API
  s.statements.push(scoStatement(statementContext(s, sco, scoAttempt), 'launched'));
  return { result: true, errorCode: 0, cmi: start.doc, entry: start.entry };
}

async function initialize(s: Step): Promise<void> {
  const sco = scoOf(s);
  const row = await repo.findScoState(s.trx, s.auth.attempt.id, sco);
  if (!row || !isNewer(s.auth.session_number, s.req.q, row.last_session, row.last_q)) return;
  const entry = scoStatus(s.model.manifest.version, row.cmi).entry;
  s.statements.push(
    scoStatement(statementContext(s, sco, row.sco_attempt), entry === 'resume' ? 'resumed' : 'initialized'),
  );
  await s.trx('scorm_sco_states').where({ attempt_id: row.attempt_id, sco_id: sco }).update({
    initialized: true,
    last_session: s.auth.session_number,
    last_q: s.req.q,
    updated_at: s.trx.fn.now(),
  });
}

/**
 * Statements for status changes (completed, passed, failed), never going back from what was reached, and
 * each stated once per SCO attempt (`stated` is updated): the commit and the sequencer's tracking of the same
 * change may arrive in either order.
 */
function statusStatements(
  ctx: StatementContext,
  was: { completion: Completion; success: Success },
  now: ReturnType<typeof scoStatus>,
  best: { completion: Completion; success: Success },
  stated: StatedStatuses,
): Obj[] {
  const out: Obj[] = [];
  const result = scoResult(now);
  if (
    now.completion === 'completed' &&
    was.completion !== 'completed' &&
    best.completion !== 'completed' &&
    !stated.completed
  ) {
    out.push(scoStatement(ctx, 'completed', { ...result, completion: true }));
    stated.completed = true;
  }
  if (
    now.success !== 'unknown' &&
    now.success !== was.success &&
    now.success !== stated.success &&
    !(now.success === 'failed' && best.success === 'passed')
  ) {
    out.push(scoStatement(ctx, now.success, { ...result, success: now.success === 'passed' }));
    stated.success = now.success;
  }
  return out;
}

async function commit(s: Step): Promise<void> {
  const sco = scoOf(s);
  const { attempt, session_number: session } = s.auth;
  const version = s.model.manifest.version;
  const row = await repo.findScoState(s.trx, attempt.id, sco);
  if (!row || !isNewer(session, s.req.q, row.last_session, row.last_q)) return;
  const before = row.cmi;
  const after = s.req.cmi ? patched(before, s.req.cmi) : before;
  const was = scoStatus(version, before);
  const now = scoStatus(version, after);
  const ctx = statementContext(s, sco, row.sco_attempt);
  const stated = { ...row.stated };
  s.statements.push(
    ...objectiveStatements(ctx, before, after),
    ...interactionStatements(ctx, before, after),
    ...statusStatements(ctx, was, now, row, stated),
  );
  if (s.req.end)
    s.statements.push(
      scoStatement(ctx, now.exit === 'suspend' ? 'suspended' : 'terminated', scoResult(now, now.sessionTime)),
    );
  let next: Omit<repo.ScoStateRow, 'created_at' | 'updated_at'> = {
    ...row,
    cmi: after,
    last_session: session,
    last_q: s.req.q,
    initialized: true,
    terminated: row.terminated || Boolean(s.req.end),
    completion: bestCompletion(row.completion, now.completion),
    success: bestSuccess(row.success, now.success),
    score_scaled: now.score?.scaled ?? row.score_scaled,
    stated,
    held_tracking: null,
  };
  const held = row.held_tracking;
  if (held && held.session === session && held.after > s.req.q) next.held_tracking = held;
  else if (held && held.session === session) next = { ...next, ...weighTracking(s, next, held) };
  await repo.upsertScoState(s.trx, next);
}

/**
 * What the sequencer's tracking of a SCO changes: it speaks only for what the SCO does not report itself
 * (SCORM SN: set by content), never going back, and each status is stated once per SCO attempt.
 */
function weighTracking(
  s: Step,
  row: Pick<repo.ScoStateRow, 'sco_id' | 'sco_attempt' | 'cmi' | 'completion' | 'success' | 'stated'>,
  tracked: { completion: Completion; success: Success },
): Pick<repo.ScoStateRow, 'completion' | 'success' | 'stated'> {
  const own = scoStatus(s.model.manifest.version, row.cmi);
  const completion = bestCompletion(
    row.completion,
    own.completion === 'unknown' ? tracked.completion : 'unknown',
  );
  const success = bestSuccess(row.success, own.success === 'unknown' ? tracked.success : 'unknown');
  const stated = { ...row.stated };
  const ctx = statementContext(s, row.sco_id, row.sco_attempt);
  const status = { completion, success, score: null };
  if (completion !== row.completion && completion === 'completed' && !stated.completed) {
    s.statements.push(scoStatement(ctx, 'completed', { ...scoResult(status), completion: true }));
    stated.completed = true;
  }
  if (success !== row.success && success !== 'unknown' && success !== stated.success) {
    s.statements.push(scoStatement(ctx, success, { ...scoResult(status), success: success === 'passed' }));
    stated.success = success;
  }
  return { completion, success, stated };
}

/**
 * The attempt's sequencing state and what the sequencer tracks of SCOs that do not report themselves. Tracking
 * read after a commit that has not arrived yet (beacons of a closing page may overtake each other) is held
 * until that commit is stored: only then is it known what the SCO reported itself.
 */
async function attemptState(s: Step): Promise<void> {
  const { attempt, session_number: session } = s.auth;
  if (s.req.seq && isNewer(session, s.req.q, attempt.seq_session, attempt.seq_q)) {
    await repo.updateAttempt(s.trx, attempt.id, {
      sequencing: patched(attempt.sequencing ?? {}, s.req.seq),
      seq_session: session,
      seq_q: s.req.q,
    });
  }
  for (const [sco, tracked] of Object.entries(s.req.tracking ?? {})) {
    if (!s.model.items.get(sco)?.launch) continue;
    const row = await repo.findScoState(s.trx, attempt.id, sco);
    if (!row) continue;
    const where = { attempt_id: attempt.id, sco_id: sco };
    if (tracked.after !== undefined && isNewer(session, tracked.after, row.last_session, row.last_q)) {
      const held: repo.HeldTracking = {
        session,
        after: tracked.after,
        completion: tracked.completion,
        success: tracked.success,
      };
      await s
        .trx('scorm_sco_states')
        .where(where)
        .update({ held_tracking: JSON.stringify(held) });
      continue;
    }
    const next = weighTracking(s, row, tracked);
    if (next.completion === row.completion && next.success === row.success) continue;
    await s
      .trx('scorm_sco_states')
      .where(where)
      .update({ ...next, stated: JSON.stringify(next.stated), updated_at: s.trx.fn.now() });
  }
}

/**
 * SCORM 2004: the sequencer's rollup of the package's root activity, stated about the course activity as it
 * moves forward (completed once; failed, then passed, never back), so that progress can follow the package's
 * own rollup rules (e.g. a course that is completed once its post-test is passed).
 */
async function rootState(s: Step): Promise<void> {
  const root = s.req.root;
  const { attempt } = s.auth;
  if (!root || s.model.manifest.version !== '2004') return;
  const completion = bestCompletion(attempt.root_completion, root.completion);
  const success = bestSuccess(attempt.root_success, root.success);
  if (completion === attempt.root_completion && success === attempt.root_success) return;
  const ctx = courseContext(s);
  const score = root.score !== undefined ? { scaled: root.score } : null;
  const result = scoResult({ completion, success, score });
  if (completion === 'completed' && attempt.root_completion !== 'completed')
    s.statements.push(courseStatement(ctx, 'completed', result));
  if (success !== attempt.root_success && success !== 'unknown')
    s.statements.push(courseStatement(ctx, success, result));
  await repo.updateAttempt(s.trx, attempt.id, { root_completion: completion, root_success: success });
}

async function end(s: Step): Promise<void> {
  const reason = s.req.reason ?? '';
  const suspended = /suspend/.test(reason);
  await repo.updateAttempt(s.trx, s.auth.attempt.id, {
    status: suspended ? 'suspended' : /exit|complete|abandon/.test(reason) ? 'ended' : 'active',
    ...(!suspended && /exit|complete|abandon/.test(reason) ? { ended_at: new Date() } : {}),
  });
}

/**
 * The attempt is completed once every launchable SCO of its package version is. SCORM 1.2 has no rollup of its
 * own: that completes the package, stated about the course activity (as the sequencer's rollup is for 2004).
 */
async function settleCompletion(s: Step): Promise<void> {
  const { attempt } = s.auth;
  if (attempt.completed_at) return;
  const rows = await repo.listScoStates(s.trx, attempt.id);
  const done = new Set(rows.filter((r) => r.completion === 'completed').map((r) => r.sco_id));
  if (!s.model.launchable.every((i) => done.has(i.identifier))) return;
  const v12 = s.model.manifest.version === '1.2';
  await repo.updateAttempt(s.trx, attempt.id, {
    completed_at: new Date(),
    ...(v12 ? { root_completion: 'completed' as const } : {}),
  });
  if (v12) s.statements.push(courseStatement(courseContext(s), 'completed', { completion: true }));
}

/**
 * A part of a request sent in parts: kept; with the last one, the whole request (checked as any request, and
 * carrying the parts' token and order), else undefined.
 */
async function wholeRequest(trx: Trx, auth: repo.SessionAuth, req: RuntimeRequest) {
  if (!req.part) throw new RuntimeRefused(400, 391, 'a part without its data');
  const body = await repo.addRequestPart(trx, { session_id: auth.session_id, q: req.q, ...req.part });
  if (body === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new RuntimeRefused(400, 391, 'the parts do not make a request');
  }
  const whole = RuntimeRequest.safeParse(parsed);
  if (!whole.success || whole.data.op === 'part' || whole.data.t !== req.t || whole.data.q !== req.q)
    throw new RuntimeRefused(400, 391, 'the parts do not make a request');
  return whole.data;
}

/**
 * One request of the player, in one transaction with the statements it causes: authenticated by the session
 * token, applied only when newer than what is stored (per SCO, and for the attempt's sequencing state).
 */
export async function handleRuntime(
  ctx: { db: Db; config: Pick<Config, 'publicUrl'> },
  received: RuntimeRequest,
): Promise<RuntimeResponse> {
  return ctx.db.transaction(async (trx) => {
    const auth = await repo.sessionByTokenHash(trx, hashToken(received.t));
    if (!auth || auth.expires_at.getTime() < Date.now())
      throw new RuntimeRefused(401, 101, 'this session has ended: reopen the activity');
    const req = received.op === 'part' ? await wholeRequest(trx, auth, received) : received;
    if (!req) return { result: true, errorCode: 0 };
    const model = await packageModel(trx, auth.attempt.package_id, auth.attempt.package_version);
    const user = (await trx('users').where({ id: auth.attempt.user_id }).first('name')) as
      { name: string } | undefined;
    const s: Step = {
      trx,
      config: ctx.config,
      auth,
      model,
      req,
      learnerName: user?.name ?? '',
      statements: [],
    };
    let response: RuntimeResponse = { result: true, errorCode: 0 };
    if (req.op === 'deliver') response = await deliver(s);
    else if (req.op === 'initialize') await initialize(s);
    else if (req.op === 'commit') await commit(s);
    await attemptState(s);
    await rootState(s);
    if (req.op === 'end') await end(s);
    await settleCompletion(s);
    if (s.statements.length) await storeStatements(trx, s.statements, scormAuth(ctx.config.publicUrl));
    return response;
  });
}
