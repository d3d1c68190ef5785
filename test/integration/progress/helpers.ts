import { randomUUID } from 'node:crypto';
import type { Db } from '../../../src/platform/db.js';
import { storeStatements, type LrsAuth } from '../../../src/modules/lrs/index.js';
import { insertActivity } from '../../../src/modules/courses/activities.repo.js';
import { enrolLearners, findEnrolment } from '../../../src/modules/courses/enrolments.repo.js';
import { registerActivityIri } from '../../../src/modules/progress/index.js';
import { buildCourse } from '../courses/fixtures.js';

export const AUTH: LrsAuth = {
  clientId: 'tests',
  authority: {
    objectType: 'Agent',
    name: 'Tests',
    account: { homePage: 'http://localhost:3000', name: 'tests' },
  },
  scopes: new Set(['all']),
};
const ADL = 'http://adlnet.gov/expapi/verbs/';

/** A published course with `items` SCO-like activities, each with one registered IRI. */
export async function trackedCourse(db: Db, ownerId: string, items = 2, title?: string) {
  const course = await buildCourse(db, { ownerId, title });
  const activities: { id: string; iri: string; title: string }[] = [];
  for (let i = 1; i <= items; i++) {
    const t = `Module ${i}`;
    const a = await insertActivity(db, { courseId: course.id, kind: 'scorm', title: t, contentRef: {} });
    const iri = `http://localhost:3000/xapi/activities/test/${course.id}/${i}`;
    await registerActivityIri(db, a.id, iri, t);
    activities.push({ id: a.id, iri, title: t });
  }
  return { course, activities };
}

export async function enrol(db: Db, courseId: string, userId: string) {
  await enrolLearners(db, courseId, [userId], null);
  return (await findEnrolment(db, courseId, userId))!;
}

export interface Stmt {
  verb: string;
  iri: string;
  name?: string;
  registration: string;
  userId: string;
  result?: Record<string, unknown>;
  at?: string;
}

export function statement(s: Stmt) {
  return {
    id: randomUUID(),
    actor: { objectType: 'Agent', account: { homePage: 'http://localhost:3000', name: s.userId } },
    verb: { id: s.verb.startsWith('http') ? s.verb : ADL + s.verb, display: { en: s.verb } },
    object: { objectType: 'Activity', id: s.iri, definition: { name: { en: s.name ?? 'Thing' } } },
    ...(s.result ? { result: s.result } : {}),
    context: { registration: s.registration },
    timestamp: s.at ?? new Date().toISOString(),
  };
}

export const send = (db: Db, list: Stmt[]) => storeStatements(db, list.map(statement), AUTH);

/** Every projection row of an enrolment, comparable across an incremental run and a rebuild. */
export async function snapshot(db: Db, enrolmentId: string) {
  const out: Record<string, unknown[]> = {};
  for (const t of [
    'progress_items',
    'progress_children',
    'progress_activities',
    'progress_enrolments',
    'progress_days',
  ]) {
    const rows = (await db(t).where({ enrolment_id: enrolmentId })) as Record<string, unknown>[];
    out[t] = rows
      .map((r) =>
        JSON.stringify(Object.fromEntries(Object.entries(r).sort(([a], [b]) => a.localeCompare(b)))),
      )
      .sort();
  }
  return out;
}
