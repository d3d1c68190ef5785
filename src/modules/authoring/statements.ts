import { randomUUID } from 'node:crypto';
import type { LrsAuth } from '../lrs/index.js';
import type { Question, QuizBlock, Snapshot } from './authoring.schemas.js';
import { correctPatterns, interactionType, xapiResponse, type QuizOutcome } from './quiz.js';

// xAPI statements of a learner taking an authored course in the platform (ADL verbs and activity types).
export const VERB = {
  launched: 'http://adlnet.gov/expapi/verbs/launched',
  initialized: 'http://adlnet.gov/expapi/verbs/initialized',
  progressed: 'http://adlnet.gov/expapi/verbs/progressed',
  completed: 'http://adlnet.gov/expapi/verbs/completed',
  answered: 'http://adlnet.gov/expapi/verbs/answered',
  passed: 'http://adlnet.gov/expapi/verbs/passed',
  failed: 'http://adlnet.gov/expapi/verbs/failed',
} as const;
export const ACTIVITY_TYPE = {
  course: 'http://adlnet.gov/expapi/activities/course',
  lesson: 'http://adlnet.gov/expapi/activities/lesson',
  assessment: 'http://adlnet.gov/expapi/activities/assessment',
  interaction: 'http://adlnet.gov/expapi/activities/cmi.interaction',
} as const;
export const PROGRESS_EXTENSION = 'https://w3id.org/xapi/cmi5/result/extensions/progress';

export interface TrackingContext {
  publicUrl: string;
  userId: string;
  registration: string;
  snapshot: Snapshot;
}

type Obj = Record<string, unknown>;

export const courseIri = (publicUrl: string, authoredCourseId: string) =>
  `${publicUrl}/xapi/activities/authored/${authoredCourseId}`;

/** The platform writes these statements itself, as its own authority. */
export const platformAuth = (publicUrl: string): LrsAuth => ({
  clientId: 'authoring',
  authority: {
    objectType: 'Agent',
    name: 'WorkCoopHub',
    account: { homePage: publicUrl, name: 'authoring' },
  },
  scopes: new Set(['all']),
});

const lang = (c: TrackingContext, text: string) => ({ [c.snapshot.language]: text || '-' });

function activity(id: string, type: string, name: Obj, description?: Obj, extra: Obj = {}): Obj {
  return {
    objectType: 'Activity',
    id,
    definition: { type, name, ...(description ? { description } : {}), ...extra },
  };
}

export function courseActivity(c: TrackingContext): Obj {
  return activity(
    courseIri(c.publicUrl, c.snapshot.authoredCourseId),
    ACTIVITY_TYPE.course,
    lang(c, c.snapshot.title),
  );
}
function lessonActivity(c: TrackingContext, lessonId: string): Obj {
  const l = c.snapshot.sections.flatMap((s) => s.lessons).find((x) => x.id === lessonId);
  return activity(
    `${courseIri(c.publicUrl, c.snapshot.authoredCourseId)}/lessons/${lessonId}`,
    ACTIVITY_TYPE.lesson,
    lang(c, l?.title ?? ''),
  );
}
function quizActivity(c: TrackingContext, quiz: QuizBlock): Obj {
  return activity(
    `${courseIri(c.publicUrl, c.snapshot.authoredCourseId)}/quizzes/${quiz.id}`,
    ACTIVITY_TYPE.assessment,
    lang(c, quiz.title),
  );
}
function questionActivity(c: TrackingContext, q: Question): Obj {
  const extra: Obj = { interactionType: interactionType(q), correctResponsesPattern: correctPatterns(q) };
  if (q.type === 'single' || q.type === 'multiple')
    extra.choices = q.options.map((o) => ({ id: o.id, description: lang(c, o.text) }));
  return activity(
    `${courseIri(c.publicUrl, c.snapshot.authoredCourseId)}/questions/${q.id}`,
    ACTIVITY_TYPE.interaction,
    lang(c, q.prompt.slice(0, 200)),
    lang(c, q.prompt),
    extra,
  );
}

function statement(
  c: TrackingContext,
  verb: keyof typeof VERB,
  object: Obj,
  more: { result?: Obj; parents?: Obj[]; grouping?: Obj[] } = {},
): Obj {
  return {
    id: randomUUID(),
    actor: { objectType: 'Agent', account: { homePage: c.publicUrl, name: c.userId } },
    verb: { id: VERB[verb], display: { en: verb } },
    object,
    ...(more.result ? { result: more.result } : {}),
    context: {
      registration: c.registration,
      language: c.snapshot.language,
      platform: 'WorkCoopHub',
      contextActivities: {
        ...(more.parents ? { parent: more.parents.map((p) => ({ id: p.id })) } : {}),
        ...(more.grouping ? { grouping: more.grouping.map((p) => ({ id: p.id })) } : {}),
      },
      extensions: { [`${c.publicUrl}/xapi/extensions/authored-version`]: c.snapshot.version },
    },
    timestamp: new Date().toISOString(),
  };
}

export const launchStatements = (c: TrackingContext) => [
  statement(c, 'launched', courseActivity(c)),
  statement(c, 'initialized', courseActivity(c)),
];

/** A lesson done: `completed` on the lesson, `progressed` on the course with the share of lessons done. */
export function lessonStatements(c: TrackingContext, lessonId: string, progressPercent: number) {
  return [
    statement(c, 'completed', lessonActivity(c, lessonId), {
      result: { completion: true },
      parents: [courseActivity(c)],
    }),
    statement(c, 'progressed', courseActivity(c), {
      result: { extensions: { [PROGRESS_EXTENSION]: Math.round(progressPercent) } },
    }),
  ];
}

export const courseCompletedStatement = (c: TrackingContext) =>
  statement(c, 'completed', courseActivity(c), {
    result: { completion: true, extensions: { [PROGRESS_EXTENSION]: 100 } },
  });

/** One `answered` per question with the response and its correctness, then `passed` or `failed` for the quiz. */
export function quizStatements(
  c: TrackingContext,
  lessonId: string,
  quiz: QuizBlock,
  outcome: QuizOutcome,
): Obj[] {
  const quizObj = quizActivity(c, quiz);
  const lessonObj = lessonActivity(c, lessonId);
  const courseObj = courseActivity(c);
  const answered = quiz.questions.map((q, i) => {
    const o = outcome.outcomes[i]!;
    return statement(c, 'answered', questionActivity(c, q), {
      result: { response: xapiResponse(q, o), success: o.correct },
      parents: [quizObj],
      grouping: [lessonObj, courseObj],
    });
  });
  const verdict = statement(c, outcome.passed ? 'passed' : 'failed', quizObj, {
    result: {
      score: {
        scaled: Math.round(outcome.scaled * 10_000) / 10_000,
        raw: outcome.correctCount,
        min: 0,
        max: outcome.total,
      },
      success: outcome.passed,
      completion: true,
    },
    parents: [lessonObj],
    grouping: [courseObj],
  });
  return [...answered, verdict];
}
