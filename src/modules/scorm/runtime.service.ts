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
import { packageModel, scaledPassingScore } from './package-model.js';
import { RuntimeRequest, type RuntimeResponse } from './runtime.schemas.js';
import {
  changeAttempt,
  courseContext,
  isNewer,
  patched,
  RuntimeRefused,
  saveScoState,
  scoOf,
  statementContext,
  type Obj,
  type Step,
  type Trx,
} from './runtime-step.js';
import { attemptState, rootState, weighTracking } from './runtime-tracking.js';
import {
  courseStatement,
  interactionStatements,
  objectiveStatements,
  scoResult,
  scoStatement,
  scormAuth,
  type StatementContext,
} from './statements.js';

export { RuntimeRefused };

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

async function deliver(s: Step): Promise<RuntimeResponse> {
  const sco = scoOf(s);
  const { attempt, session_number: session } = s.auth;
  const row = s.states.get(sco);
  const version = s.model.manifest.version;
  const start = startingData(
    version,
    row,
    s.model.items.get(sco)!,
    { id: attempt.user_id, name: s.auth.learner_name },
    version === '2004' ? scaledPassingScore(s.model, sco) : undefined,
  );
  const scoAttempt = (row?.sco_attempt ?? 1) + (start.newScoAttempt ? 1 : 0);
  await saveScoState(s, {
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
  changeAttempt(s, { current_sco: sco, status: 'active' });
  // the launch is recorded even for a SCO that never calls the API
  s.statements.push(scoStatement(statementContext(s, sco, scoAttempt), 'launched'));
  return { result: true, errorCode: 0, cmi: start.doc, entry: start.entry };
}

async function initialize(s: Step): Promise<void> {
  const sco = scoOf(s);
  const row = s.states.get(sco);
  if (!row || !isNewer(s.auth.session_number, s.req.q, row.last_session, row.last_q)) return;
  const entry = scoStatus(s.model.manifest.version, row.cmi).entry;
  s.statements.push(
    scoStatement(statementContext(s, sco, row.sco_attempt), entry === 'resume' ? 'resumed' : 'initialized'),
  );
  await saveScoState(s, { ...row, initialized: true, last_session: s.auth.session_number, last_q: s.req.q });
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
  const session = s.auth.session_number;
  const version = s.model.manifest.version;
  const row = s.states.get(sco);
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
  let next: repo.ScoState = {
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
  await saveScoState(s, next);
}

function end(s: Step): void {
  const reason = s.req.reason ?? '';
  const suspended = /suspend/.test(reason);
  changeAttempt(s, {
    status: suspended ? 'suspended' : /exit|complete|abandon/.test(reason) ? 'ended' : 'active',
    ...(!suspended && /exit|complete|abandon/.test(reason) ? { ended_at: new Date() } : {}),
  });
}

/**
 * The attempt is completed once every launchable SCO of its package version is. SCORM 1.2 has no rollup of its
 * own: that completes the package, stated about the course activity (as the sequencer's rollup is for 2004).
 */
function settleCompletion(s: Step): void {
  const { attempt } = s.auth;
  if (attempt.completed_at) return;
  const done = (id: string) => s.states.get(id)?.completion === 'completed';
  if (!s.model.launchable.every((i) => done(i.identifier))) return;
  const v12 = s.model.manifest.version === '1.2';
  changeAttempt(s, {
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
 * The SCO states the request reads, in one query made after the attempt's lock: every one while the attempt is not
 * completed (whether it now is), else those of the request's SCO and tracking.
 */
async function scoStates(trx: Trx, attempt: repo.AttemptRow, req: RuntimeRequest) {
  const only = attempt.completed_at
    ? [...new Set([req.sco ?? [], Object.keys(req.tracking ?? {})].flat())]
    : undefined;
  const rows = only?.length === 0 ? [] : await repo.listScoStates(trx, attempt.id, only);
  return new Map<string, repo.ScoState>(rows.map((r) => [r.sco_id, r]));
}

/** What of `patch` differs from the attempt row (sequencing and dates always do), or undefined. */
function changedOf(attempt: repo.AttemptRow, patch: repo.AttemptPatch): repo.AttemptPatch | undefined {
  const out = Object.fromEntries(
    Object.entries(patch).filter(
      ([k, v]) => typeof v === 'object' || attempt[k as keyof repo.AttemptRow] !== v,
    ),
  ) as repo.AttemptPatch;
  return Object.keys(out).length ? out : undefined;
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
    const s: Step = {
      trx,
      config: ctx.config,
      auth,
      model,
      req,
      states: await scoStates(trx, auth.attempt, req),
      attemptChanges: {},
      statements: [],
    };
    let response: RuntimeResponse = { result: true, errorCode: 0 };
    if (req.op === 'deliver') response = await deliver(s);
    else if (req.op === 'initialize') await initialize(s);
    else if (req.op === 'commit') await commit(s);
    await attemptState(s);
    rootState(s);
    if (req.op === 'end') end(s);
    settleCompletion(s);
    const attemptChange = changedOf(auth.attempt, s.attemptChanges);
    if (attemptChange) await repo.updateAttempt(trx, auth.attempt.id, attemptChange);
    if (s.statements.length) await storeStatements(trx, s.statements, scormAuth(ctx.config.publicUrl));
    return response;
  });
}
