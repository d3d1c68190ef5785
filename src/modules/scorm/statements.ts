import { randomUUID } from 'node:crypto';
import type { LrsAuth } from '../lrs/index.js';
import { cmiObject, cmiString, isoDuration, readScore, type Score, type ScoStatus } from './cmi.js';
import type { JsonObject } from './doc-patch.js';
import type { ScormVersion } from './manifest.js';

// SCORM → xAPI after ADL's xAPI SCORM Profile: the SCO is a `lesson` activity under the course activity,
// every statement is grouped by the attempt activity and the course, and carries the profile's category.

export const VERBS = {
  initialized: 'http://adlnet.gov/expapi/verbs/initialized',
  resumed: 'http://adlnet.gov/expapi/verbs/resumed',
  suspended: 'http://adlnet.gov/expapi/verbs/suspended',
  terminated: 'http://adlnet.gov/expapi/verbs/terminated',
  completed: 'http://adlnet.gov/expapi/verbs/completed',
  passed: 'http://adlnet.gov/expapi/verbs/passed',
  failed: 'http://adlnet.gov/expapi/verbs/failed',
  answered: 'http://adlnet.gov/expapi/verbs/answered',
  launched: 'http://adlnet.gov/expapi/verbs/launched',
} as const;
export type VerbName = keyof typeof VERBS;

const TYPES = {
  course: 'http://adlnet.gov/expapi/activities/course',
  lesson: 'http://adlnet.gov/expapi/activities/lesson',
  attempt: 'http://adlnet.gov/expapi/activities/attempt',
  interaction: 'http://adlnet.gov/expapi/activities/cmi.interaction',
  objective: 'http://adlnet.gov/expapi/activities/objective',
  profile: 'http://adlnet.gov/expapi/activities/profile',
} as const;
export const SCORM_PROFILE = 'https://w3id.org/xapi/scorm';

type Obj = Record<string, unknown>;

/** The platform records these statements itself, as its own authority. */
export const scormAuth = (publicUrl: string): LrsAuth => ({
  clientId: 'scorm',
  authority: { objectType: 'Agent', name: 'WorkCoopHub', account: { homePage: publicUrl, name: 'scorm' } },
  scopes: new Set(['all']),
});

export const courseIri = (publicUrl: string, packageId: string) =>
  `${publicUrl}/xapi/activities/scorm/${packageId}`;
export const scoIri = (publicUrl: string, packageId: string, scoId: string) =>
  `${courseIri(publicUrl, packageId)}/${encodeURIComponent(scoId)}`;

export interface StatementContext {
  publicUrl: string;
  userId: string;
  registration: string;
  packageId: string;
  courseTitle: string;
  scoId: string;
  scoTitle: string;
  /** A language tag for names (the package's, else `und`). */
  lang: string;
  /** Identifies this SCO attempt: the platform attempt and the SCO's attempt number within it. */
  attemptKey: string;
  version: ScormVersion;
}

const name = (c: StatementContext, text: string) => ({ [c.lang]: text || '-' });

function activity(id: string, type: string, title: Obj, extra: Obj = {}): Obj {
  return { objectType: 'Activity', id, definition: { name: title, type, ...extra } };
}

const profileCategory = () => [
  { objectType: 'Activity', id: SCORM_PROFILE, definition: { type: TYPES.profile } },
];

const courseActivity = (c: StatementContext) =>
  activity(courseIri(c.publicUrl, c.packageId), TYPES.course, name(c, c.courseTitle));

export const scoActivity = (c: StatementContext) =>
  activity(scoIri(c.publicUrl, c.packageId, c.scoId), TYPES.lesson, name(c, c.scoTitle));

function contextOf(c: StatementContext, withParent: boolean): Obj {
  const sco = scoIri(c.publicUrl, c.packageId, c.scoId);
  return {
    registration: c.registration,
    contextActivities: {
      ...(withParent ? { parent: [scoActivity(c)] } : {}),
      grouping: [
        courseActivity(c),
        activity(
          `${sco}?attemptId=${encodeURIComponent(c.attemptKey)}`,
          TYPES.attempt,
          name(c, `${c.scoTitle} (${c.attemptKey})`),
        ),
      ],
      category: profileCategory(),
    },
  };
}

function statement(c: StatementContext, verb: VerbName, object: Obj, result?: Obj, withParent = false): Obj {
  return {
    id: randomUUID(),
    actor: { objectType: 'Agent', account: { homePage: c.publicUrl, name: c.userId } },
    verb: { id: VERBS[verb], display: { 'en-US': verb } },
    object,
    ...(result && Object.keys(result).length ? { result } : {}),
    context: contextOf(c, withParent),
    timestamp: new Date().toISOString(),
  };
}

/** The result of the SCO as a whole (profile: terminated / suspended carry the overall result). */
export function scoResult(
  s: Pick<ScoStatus, 'completion' | 'success' | 'score'>,
  duration?: string | null,
): Obj {
  const r: Obj = {};
  if (s.completion !== 'unknown') r.completion = s.completion === 'completed';
  if (s.success !== 'unknown') r.success = s.success === 'passed';
  if (s.score) r.score = { ...s.score };
  if (duration) r.duration = duration;
  return r;
}

export const scoStatement = (c: StatementContext, verb: VerbName, result?: Obj) =>
  statement(c, verb, scoActivity(c), result);

/**
 * A statement about the package as a whole (SCORM 2004: the rollup of its activity tree), grouped by the
 * platform attempt; `c.attemptKey` names that attempt.
 */
export function courseStatement(c: StatementContext, verb: VerbName, result?: Obj): Obj {
  const attempt = `${courseIri(c.publicUrl, c.packageId)}?attemptId=${encodeURIComponent(c.attemptKey)}`;
  return {
    ...statement(c, verb, courseActivity(c), result),
    context: {
      registration: c.registration,
      contextActivities: {
        grouping: [activity(attempt, TYPES.attempt, name(c, `${c.courseTitle} (${c.attemptKey})`))],
        category: profileCategory(),
      },
    },
  };
}

// ---- interactions

const INTERACTION_TYPES = new Set([
  'true-false',
  'choice',
  'fill-in',
  'long-fill-in',
  'matching',
  'performance',
  'sequencing',
  'likert',
  'numeric',
  'other',
]);

/** SCORM 1.2 separates with `,` and `.`; xAPI (like 2004) with `[,]` and `[.]`. */
function response12(type: string, value: string): string {
  switch (type) {
    case 'true-false':
      return /^(t|1|true)$/i.test(value) ? 'true' : /^(f|0|false)$/i.test(value) ? 'false' : value;
    case 'choice':
    case 'sequencing':
      return value
        .replace(/^\{|\}$/g, '')
        .split(',')
        .map((s) => s.trim())
        .join('[,]');
    case 'matching':
      return value
        .replace(/^\{|\}$/g, '')
        .split(',')
        .map((p) => p.trim().replace('.', '[.]'))
        .join('[,]');
    default:
      return value;
  }
}

function interactionStatement(c: StatementContext, it: JsonObject): Obj | null {
  const v12 = c.version === '1.2';
  const id = cmiString(it, 'id');
  const rawResponse = cmiString(it, v12 ? 'student_response' : 'learner_response');
  if (!id || rawResponse === '') return null;
  const type = cmiString(it, 'type');
  const interactionType = INTERACTION_TYPES.has(type) ? type : 'other';
  const response = v12 ? response12(type, rawResponse) : rawResponse;
  const patterns = Object.values(cmiObject(it, 'correct_responses'))
    .map((p) => cmiString(p as JsonObject, 'pattern'))
    .filter((p) => p !== '')
    .map((p) => (v12 ? response12(type, p) : p));
  const description = cmiString(it, 'description');
  const definition: Obj = {
    interactionType,
    ...(patterns.length ? { correctResponsesPattern: patterns } : {}),
  };
  if (description) definition.description = name(c, description);
  const object = activity(
    `${scoIri(c.publicUrl, c.packageId, c.scoId)}/interactions/${encodeURIComponent(id)}`,
    TYPES.interaction,
    name(c, description ? description.slice(0, 200) : id),
    definition,
  );
  const result: Obj = { response };
  const verdict = cmiString(it, 'result');
  if (verdict === 'correct') result.success = true;
  else if (verdict === 'incorrect' || verdict === 'wrong') result.success = false;
  const weighting = Number(cmiString(it, 'weighting'));
  if (verdict !== '' && Number.isFinite(Number(verdict)) && Number.isFinite(weighting) && weighting > 0) {
    const raw = Number(verdict);
    if (raw >= 0 && raw <= weighting) result.score = { raw, min: 0, max: weighting };
  }
  const latency = isoDuration(cmiString(it, v12 ? 'latency' : 'latency'));
  if (latency) result.duration = latency;
  return statement(c, 'answered', object, result, true);
}

const interactionKey = (c: StatementContext, it: JsonObject) =>
  [
    cmiString(it, 'id'),
    cmiString(it, c.version === '1.2' ? 'student_response' : 'learner_response'),
    cmiString(it, 'result'),
  ].join('\u0000');

/** `answered` for every interaction whose response or result is new or changed between two commits. */
export function interactionStatements(c: StatementContext, before: JsonObject, after: JsonObject): Obj[] {
  const old = cmiObject(before, 'cmi.interactions');
  const now = cmiObject(after, 'cmi.interactions');
  const out: Obj[] = [];
  for (const [n, it] of Object.entries(now).sort((a, b) => Number(a[0]) - Number(b[0]))) {
    const prev = old[n];
    const item = it as JsonObject;
    if (prev && interactionKey(c, prev as JsonObject) === interactionKey(c, item)) continue;
    const s = interactionStatement(c, item);
    if (s) out.push(s);
  }
  return out;
}

// ---- objectives

function objectiveState(c: StatementContext, o: JsonObject) {
  if (c.version === '1.2') {
    const status = cmiString(o, 'status');
    return {
      completed: ['completed', 'passed', 'failed'].includes(status),
      success: status === 'passed' ? 'passed' : status === 'failed' ? 'failed' : '',
    };
  }
  return {
    completed: cmiString(o, 'completion_status') === 'completed',
    success: cmiString(o, 'success_status'),
  };
}

/** `completed` / `passed` / `failed` of objectives whose status changed between two commits. */
export function objectiveStatements(c: StatementContext, before: JsonObject, after: JsonObject): Obj[] {
  const old = cmiObject(before, 'cmi.objectives');
  const now = cmiObject(after, 'cmi.objectives');
  const oldById = new Map(Object.values(old).map((o) => [cmiString(o as JsonObject, 'id'), o as JsonObject]));
  const out: Obj[] = [];
  for (const o of Object.values(now) as JsonObject[]) {
    const id = cmiString(o, 'id');
    if (!id) continue;
    const prev = oldById.get(id);
    const a = prev ? objectiveState(c, prev) : { completed: false, success: '' };
    const b = objectiveState(c, o);
    const object = activity(
      `${scoIri(c.publicUrl, c.packageId, c.scoId)}/objectives/${encodeURIComponent(id)}`,
      TYPES.objective,
      name(c, cmiString(o, 'description') || id),
    );
    const score: Score | null = readScore(c.version, o, 'score');
    const result: Obj = score ? { score } : {};
    if (b.completed && !a.completed)
      out.push(statement(c, 'completed', object, { ...result, completion: true }, true));
    if ((b.success === 'passed' || b.success === 'failed') && b.success !== a.success)
      out.push(statement(c, b.success, object, { ...result, success: b.success === 'passed' }, true));
  }
  return out;
}
