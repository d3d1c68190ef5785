import type { Json, JsonObject } from './doc-patch.js';
import type { ScormItem, ScormVersion } from './manifest.js';

// Reading the CMI data a SCO committed (`{ cmi: … }` as scorm-again renders it) in the terms of both
// SCORM versions, and the data a SCO starts with: ab-initio, or resumed whole after `exit = suspend`.

export type Completion = 'unknown' | 'incomplete' | 'completed';
export type Success = 'unknown' | 'failed' | 'passed';

export interface Score {
  scaled?: number;
  raw?: number;
  min?: number;
  max?: number;
}

export interface ScoStatus {
  completion: Completion;
  success: Success;
  score: Score | null;
  exit: string;
  entry: string;
  /** ISO 8601 duration of the session, when the SCO reported one. */
  sessionTime: string | null;
}

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A string at a dotted path of the doc (`cmi.core.lesson_status`), '' when absent. */
export function cmiString(doc: JsonObject, path: string): string {
  let node: Json | undefined = doc;
  for (const key of path.split('.')) node = isObject(node) ? node[key] : undefined;
  return typeof node === 'string' ? node : typeof node === 'number' ? String(node) : '';
}

export function cmiObject(doc: JsonObject, path: string): JsonObject {
  let node: Json | undefined = doc;
  for (const key of path.split('.')) node = isObject(node) ? node[key] : undefined;
  return isObject(node) ? node : {};
}

const num = (s: string): number | undefined => {
  if (s.trim() === '') return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
};

/** A score the LRS accepts: scaled within [-1, 1], raw within [min, max] when those are given. */
function validScore(s: Score): Score | null {
  const out: Score = {};
  if (s.scaled !== undefined && s.scaled >= -1 && s.scaled <= 1) out.scaled = s.scaled;
  const { raw, min, max } = s;
  const ordered =
    (min === undefined || max === undefined || min <= max) &&
    (raw === undefined || ((min === undefined || raw >= min) && (max === undefined || raw <= max)));
  if (ordered) {
    if (raw !== undefined) out.raw = raw;
    if (min !== undefined) out.min = min;
    if (max !== undefined) out.max = max;
  }
  return Object.keys(out).length ? out : null;
}

export function readScore(
  version: ScormVersion,
  doc: JsonObject,
  base = version === '1.2' ? 'cmi.core.score' : 'cmi.score',
): Score | null {
  const raw = num(cmiString(doc, `${base}.raw`));
  const min = num(cmiString(doc, `${base}.min`));
  const max = num(cmiString(doc, `${base}.max`));
  let scaled = version === '2004' ? num(cmiString(doc, `${base}.scaled`)) : undefined;
  // xAPI SCORM Profile: a SCORM 1.2 raw score is reported as scaled = raw / 100 (over the min–max range when given)
  if (version === '1.2' && raw !== undefined) {
    const lo = min ?? 0;
    const hi = max ?? 100;
    if (hi > lo) scaled = Math.min(1, Math.max(0, (raw - lo) / (hi - lo)));
  }
  return validScore({ scaled, raw, min, max });
}

/** SCORM 1.2 CMITimespan (HHHH:MM:SS.SS) or a 2004 ISO 8601 duration, as an xAPI (ISO 8601) duration. */
export function isoDuration(value: string): string | null {
  const v = value.trim();
  if (!v) return null;
  if (/^P/.test(v))
    return /^P(?!$)(\d+(?:\.\d+)?Y)?(\d+(?:\.\d+)?M)?(\d+(?:\.\d+)?W)?(\d+(?:\.\d+)?D)?(T(?=\d)(\d+(?:\.\d+)?H)?(\d+(?:\.\d+)?M)?(\d+(?:\.\d+)?S)?)?$/.test(
      v,
    )
      ? v
      : null;
  const m = /^(\d{2,4}):(\d{2}):(\d{2})(\.\d{1,2})?$/.exec(v);
  if (!m) return null;
  const seconds = Number(m[3]) + (m[4] ? Number(m[4]) : 0);
  return `PT${Number(m[1])}H${Number(m[2])}M${Number(seconds.toFixed(2))}S`;
}

/** Seconds of an ISO 8601 duration (days and smaller units). */
export function durationSeconds(iso: string | null): number {
  if (!iso) return 0;
  const m =
    /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(iso);
  if (!m) return 0;
  return Number(m[1] ?? 0) * 86400 + Number(m[2] ?? 0) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
}

export function scoStatus(version: ScormVersion, doc: JsonObject): ScoStatus {
  if (version === '1.2') {
    const status = cmiString(doc, 'cmi.core.lesson_status');
    return {
      completion: ['completed', 'passed', 'failed'].includes(status)
        ? 'completed'
        : status === 'incomplete' || status === 'browsed'
          ? 'incomplete'
          : 'unknown',
      success: status === 'passed' ? 'passed' : status === 'failed' ? 'failed' : 'unknown',
      score: readScore(version, doc),
      exit: cmiString(doc, 'cmi.core.exit'),
      entry: cmiString(doc, 'cmi.core.entry'),
      sessionTime: isoDuration(cmiString(doc, 'cmi.core.session_time')),
    };
  }
  const completion = cmiString(doc, 'cmi.completion_status');
  const success = cmiString(doc, 'cmi.success_status');
  return {
    completion:
      completion === 'completed' ? 'completed' : completion === 'incomplete' ? 'incomplete' : 'unknown',
    success: success === 'passed' ? 'passed' : success === 'failed' ? 'failed' : 'unknown',
    score: readScore(version, doc),
    exit: cmiString(doc, 'cmi.exit'),
    entry: cmiString(doc, 'cmi.entry'),
    sessionTime: isoDuration(cmiString(doc, 'cmi.session_time')),
  };
}

const COMPLETION_RANK: Record<Completion, number> = { unknown: 0, incomplete: 1, completed: 2 };
const SUCCESS_RANK: Record<Success, number> = { unknown: 0, failed: 1, passed: 2 };

/** The better of two statuses: `completed` and `passed` never go backwards. */
export const bestCompletion = (a: Completion, b: Completion): Completion =>
  COMPLETION_RANK[b] > COMPLETION_RANK[a] ? b : a;
export const bestSuccess = (a: Success, b: Success): Success => (SUCCESS_RANK[b] > SUCCESS_RANK[a] ? b : a);

export interface Learner {
  id: string;
  name: string;
}

/** What the LMS sets whatever the SCO stored: who the learner is and the item's data from the manifest. */
function launchFields(
  version: ScormVersion,
  item: ScormItem,
  learner: Learner,
  scaledPassingScore?: number,
): JsonObject {
  if (version === '1.2') {
    const studentData: JsonObject = {};
    if (item.masteryScore !== undefined) studentData.mastery_score = String(item.masteryScore);
    if (item.maxTimeAllowed) studentData.max_time_allowed = item.maxTimeAllowed;
    if (item.timeLimitAction) studentData.time_limit_action = item.timeLimitAction;
    return {
      core: {
        student_id: learner.id,
        student_name: learner.name.slice(0, 255),
        credit: 'credit',
        lesson_mode: 'normal',
      },
      launch_data: item.dataFromLMS ?? '',
      ...(Object.keys(studentData).length ? { student_data: studentData } : {}),
    };
  }
  const out: JsonObject = {
    learner_id: learner.id,
    learner_name: learner.name.slice(0, 250),
    credit: 'credit',
    mode: 'normal',
    launch_data: item.dataFromLMS ?? '',
  };
  if (item.timeLimitAction) out.time_limit_action = item.timeLimitAction;
  const threshold = item.completionThreshold?.minProgressMeasure ?? item.completionThresholdValue;
  if (threshold !== undefined && (item.completionThreshold?.completedByMeasure ?? true))
    out.completion_threshold = String(threshold);
  if (scaledPassingScore !== undefined) out.scaled_passing_score = String(scaledPassingScore);
  return out;
}

function merge(target: JsonObject, add: JsonObject): JsonObject {
  for (const [k, v] of Object.entries(add)) {
    const t = target[k];
    target[k] = isObject(t) && isObject(v) ? merge({ ...t }, v) : v;
  }
  return target;
}

export interface StartingData {
  doc: JsonObject;
  entry: 'ab-initio' | 'resume';
  /** A new SCO attempt begins: the stored data is replaced. */
  newScoAttempt: boolean;
}

/**
 * The data a SCO starts with: resumed whole (location, suspend data, interactions…) when its last session
 * ended with exit = suspend, else a new attempt from scratch. A SCO delivered before but never initialized
 * starts its first attempt again.
 */
export function startingData(
  version: ScormVersion,
  stored: { cmi: JsonObject; initialized: boolean } | undefined,
  item: ScormItem,
  learner: Learner,
  scaledPassingScore?: number,
): StartingData {
  const fields = launchFields(version, item, learner, scaledPassingScore);
  const resume =
    stored !== undefined && stored.initialized && scoStatus(version, stored.cmi).exit === 'suspend';
  if (!resume) {
    // 1.2: lesson_status is left to the runtime ("not attempted", then "completed" on LMSFinish if the SCO set none)
    const cmi =
      version === '1.2'
        ? merge({ core: { entry: 'ab-initio' } }, fields)
        : merge({ entry: 'ab-initio' }, fields);
    return { doc: { cmi }, entry: 'ab-initio', newScoAttempt: stored !== undefined && stored.initialized };
  }
  const cmi = merge(JSON.parse(JSON.stringify(cmiObject(stored.cmi, 'cmi'))) as JsonObject, fields);
  if (version === '1.2') {
    const core = cmi.core as JsonObject;
    core.entry = 'resume';
    delete core.exit;
    delete core.session_time;
  } else {
    cmi.entry = 'resume';
    delete cmi.exit;
    delete cmi.session_time;
  }
  return { doc: { cmi }, entry: 'resume', newScoAttempt: false };
}
