import { randomUUID } from 'node:crypto';
import { ifiKey } from '../src/modules/lrs/ifi.js';
import type { Actor } from '../src/modules/lrs/lrs.types.js';
import { relatedRows, type Statement } from '../src/modules/lrs/statements.model.js';
import type { InsertRow } from '../src/modules/lrs/statements.repo.js';

/** The shape of the data set: how many learners, courses, SCOs and verbs the statements spread over. */
export const SHAPE = { agents: 1000, courses: 50, scosPerCourse: 8, registrationsPerAgent: 5 };
export const HOME = 'https://lms.example.org';
export const CATEGORY = 'https://w3id.org/xapi/scorm';
export const VERBS = [
  'http://adlnet.gov/expapi/verbs/initialized',
  'http://adlnet.gov/expapi/verbs/terminated',
  'http://adlnet.gov/expapi/verbs/completed',
  'http://adlnet.gov/expapi/verbs/passed',
  'http://adlnet.gov/expapi/verbs/failed',
  'http://adlnet.gov/expapi/verbs/responded',
  'https://w3id.org/xapi/adl/verbs/suspended',
  'https://w3id.org/xapi/adl/verbs/resumed',
  'http://adlnet.gov/expapi/verbs/progressed',
  'http://adlnet.gov/expapi/verbs/scored',
];

// Registrations are derived from (agent, slot) so that queries can pick existing ones.
const regCache = new Map<string, string>();
export function registrationOf(agent: number, slot: number): string {
  const k = `${agent}/${slot}`;
  let r = regCache.get(k);
  if (!r) {
    r = randomUUID();
    regCache.set(k, r);
  }
  return r;
}

export const agentOf = (n: number) => ({
  objectType: 'Agent',
  name: `Learner ${n}`,
  account: { homePage: HOME, name: `learner-${n}` },
});
export const courseIri = (c: number) => `${HOME}/courses/course-${c}`;
export const scoIri = (c: number, s: number) => `${HOME}/courses/course-${c}/sco-${s}`;

/** A SCORM-profile statement of about 1.5 KB (ADL xAPI SCORM Profile shapes). */
export function scormStatement(i: number, rnd: () => number = Math.random): Statement {
  const agent = Math.floor(rnd() * SHAPE.agents);
  const course = Math.floor(rnd() * SHAPE.courses);
  const sco = Math.floor(rnd() * SHAPE.scosPerCourse);
  const verb = VERBS[i % VERBS.length]!;
  const verbName = verb.slice(verb.lastIndexOf('/') + 1);
  const registration = registrationOf(agent, (course + agent) % SHAPE.registrationsPerAgent);
  return {
    actor: agentOf(agent),
    verb: { id: verb, display: { 'en-US': verbName } },
    object: {
      objectType: 'Activity',
      id: scoIri(course, sco),
      definition: {
        name: { 'en-US': `Course ${course}, lesson ${sco}: working as a freelancer` },
        description: {
          'en-US':
            'A SCORM 2004 SCO of the cooperative course catalogue, tracked through the xAPI SCORM profile.',
        },
        type: 'http://adlnet.gov/expapi/activities/lesson',
      },
    },
    result: {
      score: { scaled: 0.82, raw: 82, min: 0, max: 100 },
      success: true,
      completion: i % 3 === 0,
      duration: `PT${(i % 50) + 1}M${i % 60}.5S`,
    },
    context: {
      registration,
      contextActivities: {
        parent: [
          {
            id: courseIri(course),
            objectType: 'Activity',
            definition: { type: 'http://adlnet.gov/expapi/activities/course' },
          },
        ],
        grouping: [
          {
            id: `${courseIri(course)}/attempt/${(agent + course) % 3}`,
            objectType: 'Activity',
            definition: { type: 'http://adlnet.gov/expapi/activities/attempt' },
          },
        ],
        category: [
          {
            id: CATEGORY,
            objectType: 'Activity',
            definition: { type: 'http://adlnet.gov/expapi/activities/profile' },
          },
        ],
      },
      extensions: {
        'https://w3id.org/xapi/scorm/context/sco-version': '2004 4th Edition',
        'https://lms.example.org/xapi/extensions/attempt': (agent + course) % 3,
      },
      platform: 'WorkCoopHub',
      language: 'en-US',
    },
    timestamp: new Date(Date.now() - (i % 1000) * 1000).toISOString(),
  };
}

export const AUTHORITY: Actor = {
  objectType: 'Agent',
  name: 'bench',
  account: { homePage: HOME, name: 'bench-client' },
};

/** The row the service would build for a statement (for the raw PostgreSQL client and bulk loads). */
export function insertRowOf(s: Statement, stored: string): InsertRow {
  const full: Statement = { ...s, id: randomUUID(), stored, version: '2.0.0', authority: AUTHORITY };
  full.timestamp ??= stored;
  const o = full.object as Record<string, unknown>;
  return {
    i: full.id as string,
    s: full,
    r: relatedRows(full),
    ak: ifiKey(full.actor as Actor),
    ac: o.id as string,
    or: null,
    vd: false,
    au: ifiKey(AUTHORITY),
  };
}
