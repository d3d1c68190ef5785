import { randomUUID } from 'node:crypto';
import type { LrsAuth } from '../lrs/index.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Statements of H5P content are recorded by the platform on the learner's behalf, as its own authority. */
export const h5pAuth = (publicUrl: string): LrsAuth => ({
  clientId: 'h5p',
  authority: { objectType: 'Agent', name: 'WorkCoopHub', account: { homePage: publicUrl, name: 'h5p' } },
  scopes: new Set(['all']),
});

export interface StatementScope {
  /** The platform's IRI of the content; H5P sub-contents are `<iri>?subContentId=<id>`. */
  iri: string;
  registration: string;
  actor: Obj;
}

/** Whether an activity id belongs to this content: the IRI itself or one of its sub-contents. */
export const underIri = (id: unknown, iri: string): boolean =>
  typeof id === 'string' && (id === iri || id.startsWith(`${iri}?subContentId=`));

/**
 * One statement of H5P's external dispatcher as the LRS records it: the learner as actor, the launch's
 * registration, and only activities of this content as object, parent or grouping (the player gives H5P
 * the IRI, so H5P builds them itself). Anything else is dropped (null), never stored under another id.
 */
export function scopedStatement(raw: unknown, scope: StatementScope): Obj | null {
  if (!isObj(raw) || !isObj(raw.verb) || !isObj(raw.object)) return null;
  const object = raw.object;
  if (
    (object.objectType !== undefined && object.objectType !== 'Activity') ||
    !underIri(object.id, scope.iri)
  )
    return null;
  const context: Obj = isObj(raw.context) ? { ...raw.context } : {};
  if (isObj(context.contextActivities)) {
    const ca: Obj = { ...context.contextActivities };
    for (const k of ['parent', 'grouping'] as const) {
      const list = Array.isArray(ca[k]) ? (ca[k] as unknown[]) : isObj(ca[k]) ? [ca[k]] : [];
      const kept = list.filter((a) => isObj(a) && underIri(a.id, scope.iri));
      if (kept.length) ca[k] = kept;
      else delete ca[k];
    }
    context.contextActivities = ca;
  }
  context.registration = scope.registration;
  context.platform = 'WorkCoopHub';
  delete context.instructor;
  delete context.team;
  const s: Obj = {
    id: typeof raw.id === 'string' && UUID.test(raw.id) ? raw.id.toLowerCase() : randomUUID(),
    actor: scope.actor,
    verb: raw.verb,
    object,
    context,
  };
  if (isObj(raw.result)) s.result = raw.result;
  if (typeof raw.timestamp === 'string') s.timestamp = raw.timestamp;
  return s;
}
