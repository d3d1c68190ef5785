import * as repo from './attempts.repo.js';
import { bestCompletion, bestSuccess, scoStatus, type Completion, type Success } from './cmi.js';
import {
  changeAttempt,
  courseContext,
  isNewer,
  patched,
  saveScoState,
  statementContext,
  type Step,
} from './runtime-step.js';
import { courseStatement, scoResult, scoStatement } from './statements.js';

// The sequencer's side of a runtime request (SCORM 2004): its state, its tracking of SCOs and of the root.

/**
 * What the sequencer's tracking of a SCO changes: it speaks only for what the SCO does not report itself
 * (SCORM SN: set by content), never going back, and each status is stated once per SCO attempt.
 */
export function weighTracking(
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
export async function attemptState(s: Step): Promise<void> {
  const { attempt, session_number: session } = s.auth;
  if (s.req.seq && isNewer(session, s.req.q, attempt.seq_session, attempt.seq_q)) {
    changeAttempt(s, {
      sequencing: patched(attempt.sequencing ?? {}, s.req.seq),
      seq_session: session,
      seq_q: s.req.q,
    });
  }
  for (const [sco, tracked] of Object.entries(s.req.tracking ?? {})) {
    if (!s.model.items.get(sco)?.launch) continue;
    const row = s.states.get(sco);
    if (!row) continue;
    if (tracked.after !== undefined && isNewer(session, tracked.after, row.last_session, row.last_q)) {
      const held: repo.HeldTracking = {
        session,
        after: tracked.after,
        completion: tracked.completion,
        success: tracked.success,
      };
      await saveScoState(s, { ...row, held_tracking: held });
      continue;
    }
    const next = weighTracking(s, row, tracked);
    if (next.completion === row.completion && next.success === row.success) continue;
    await saveScoState(s, { ...row, ...next });
  }
}

/**
 * SCORM 2004: the sequencer's rollup of the package's root activity, stated about the course activity as it
 * moves forward (completed once; failed, then passed, never back), so that progress can follow the package's
 * own rollup rules (e.g. a course that is completed once its post-test is passed).
 */
export function rootState(s: Step): void {
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
  changeAttempt(s, { root_completion: completion, root_success: success });
}
