import { actorKeys, ifiKey } from './ifi.js';
import type { Actor } from './lrs.types.js';

/** A statement as JSON; valid by the time it reaches these functions. */
export type Statement = Record<string, unknown>;
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Kinds of rows in statement_related: what a query can filter on. */
export const Kind = {
  agent: 1,
  relatedAgent: 2,
  activity: 3,
  relatedActivity: 4,
  verb: 5,
  registration: 6,
} as const;
export type KindCode = (typeof Kind)[keyof typeof Kind];

const asActor = (v: unknown) => (isObj(v) ? (v as unknown as Actor) : undefined);
const contextActivityList = (ctx: unknown): Obj[] => {
  if (!isObj(ctx) || !isObj(ctx.contextActivities)) return [];
  return Object.values(ctx.contextActivities).flatMap((v) => (Array.isArray(v) ? (v as Obj[]) : [v as Obj]));
};

function contextAgents(ctx: unknown): string[] {
  if (!isObj(ctx)) return [];
  return [
    ...actorKeys(asActor(ctx.instructor)),
    ...actorKeys(asActor(ctx.team)),
    ...((ctx.contextAgents as Obj[] | undefined) ?? []).flatMap((c) => actorKeys(asActor(c.agent))),
    ...((ctx.contextGroups as Obj[] | undefined) ?? []).flatMap((c) => actorKeys(asActor(c.group))),
  ];
}

const isAgentObject = (o: Obj) => o.objectType === 'Agent' || o.objectType === 'Group';
const isActivityObject = (o: Obj) => o.objectType === undefined || o.objectType === 'Activity';

/** The [kind, identifier] pairs under which queries find a statement (its own, not inherited). */
export function relatedRows(s: Statement): [KindCode, string][] {
  const object = s.object as Obj;
  const rows = new Map<string, [KindCode, string]>();
  const add = (kind: KindCode, ids: (string | null | undefined)[]) => {
    for (const id of ids) if (id) rows.set(`${kind} ${id}`, [kind, id]);
  };
  const direct = [
    ...actorKeys(asActor(s.actor)),
    ...(isAgentObject(object) ? actorKeys(asActor(object)) : []),
  ];
  add(Kind.agent, direct);
  add(Kind.relatedAgent, [...direct, ...actorKeys(asActor(s.authority)), ...contextAgents(s.context)]);
  const activities = [
    ...(isActivityObject(object) ? [object.id as string] : []),
    ...contextActivityList(s.context).map((a) => a.id as string),
  ];
  if (isActivityObject(object)) add(Kind.activity, [object.id as string]);
  if (object.objectType === 'SubStatement') {
    const subObject = object.object as Obj;
    add(Kind.relatedAgent, [
      ...actorKeys(asActor(object.actor)),
      ...(isAgentObject(subObject) ? actorKeys(asActor(subObject)) : []),
      ...contextAgents(object.context),
    ]);
    if (isActivityObject(subObject)) activities.push(subObject.id as string);
    activities.push(...contextActivityList(object.context).map((a) => a.id as string));
  }
  add(Kind.relatedActivity, activities);
  add(Kind.verb, [(s.verb as Obj).id as string]);
  const ctx = s.context as Obj | undefined;
  if (ctx && typeof ctx.registration === 'string') add(Kind.registration, [ctx.registration.toLowerCase()]);
  return [...rows.values()];
}

/**
 * contextActivities values are stored as arrays, even when a single Activity was sent (Data 2.4.6.2).
 * Copies only the objects on the way (the caller's statement is left as it was).
 */
export function normaliseContextActivities(s: Obj): void {
  const fix = (holder: Obj) => {
    const ctx = holder.context;
    if (!isObj(ctx) || !isObj(ctx.contextActivities)) return;
    const ca = ctx.contextActivities;
    if (Object.values(ca).every(Array.isArray)) return;
    const arrays = Object.fromEntries(Object.entries(ca).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]));
    holder.context = { ...ctx, contextActivities: arrays };
  };
  fix(s);
  if (isObj(s.object) && s.object.objectType === 'SubStatement') {
    s.object = { ...s.object };
    fix(s.object as Obj);
  }
}

// ---- comparison (Data 2.3.1: the exceptions to immutability are not significant) ----

function lowerMboxDomain(a: Obj): void {
  if (typeof a.mbox === 'string') {
    const at = a.mbox.lastIndexOf('@');
    a.mbox = a.mbox.slice(0, at) + a.mbox.slice(at).toLowerCase();
  }
}

function comparableActor(a: unknown): void {
  if (!isObj(a)) return;
  lowerMboxDomain(a);
  if (Array.isArray(a.member)) {
    for (const m of a.member as Obj[]) lowerMboxDomain(m);
    a.member = (a.member as Obj[])
      .map((m) => [ifiKey(m as unknown as Actor) ?? '', m] as const)
      .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
      .map(([, m]) => m);
  }
}

function comparableBody(s: Obj): void {
  comparableActor(s.actor);
  if (isObj(s.verb)) delete s.verb.display;
  const o = s.object as Obj;
  if (isObj(o)) {
    if (isActivityObject(o)) delete o.definition;
    if (isAgentObject(o)) comparableActor(o);
    if (o.objectType === 'StatementRef' && typeof o.id === 'string') o.id = o.id.toLowerCase();
  }
  delete s.attachments;
  if (isObj(s.result) && typeof s.result.duration === 'string')
    s.result.duration = s.result.duration.replace(/(\d+)\.(\d{1,2})\d*S$/, '$1.$2S');
  if (isObj(s.context)) {
    const ctx = s.context;
    if (typeof ctx.registration === 'string') ctx.registration = ctx.registration.toLowerCase();
    comparableActor(ctx.instructor);
    comparableActor(ctx.team);
    if (isObj(ctx.contextActivities)) {
      const ca = ctx.contextActivities;
      for (const k of Object.keys(ca)) {
        const list = Array.isArray(ca[k]) ? (ca[k] as Obj[]) : [ca[k] as Obj];
        ca[k] = list.map((a) => ({ id: a.id }));
      }
    }
  }
}

/** Keys sorted, so that the order of properties does not matter. */
function stableStringify(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  if (isObj(v))
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableStringify(v[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

function comparable(s: Statement, drop: { id: boolean; timestamp: boolean }): string {
  const c = structuredClone(s);
  for (const k of ['authority', 'stored', 'version']) delete c[k];
  if (drop.id) delete c.id;
  else if (typeof c.id === 'string') c.id = c.id.toLowerCase();
  if (drop.timestamp) delete c.timestamp;
  else c.timestamp = new Date(c.timestamp as string).getTime();
  comparableBody(c);
  if (isObj(c.object) && c.object.objectType === 'SubStatement') {
    const sub = c.object;
    if (typeof sub.timestamp === 'string') sub.timestamp = new Date(sub.timestamp).getTime();
    comparableBody(sub);
  }
  return stableStringify(c);
}

/** Whether two statements are "the same" as xAPI's statement comparison requirements define it. */
export function sameStatement(a: Statement, b: Statement): boolean {
  const drop = {
    id: a.id === undefined || b.id === undefined,
    timestamp: a.timestamp === undefined || b.timestamp === undefined,
  };
  return comparable(a, drop) === comparable(b, drop);
}
