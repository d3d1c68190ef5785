import { ifiKey } from './ifi.js';
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

const isAgentObject = (o: Obj) => o.objectType === 'Agent' || o.objectType === 'Group';
const isActivityObject = (o: Obj) => o.objectType === undefined || o.objectType === 'Activity';

/** Collects [kind, identifier] pairs once each (this runs for every statement stored: kept lean). */
class Rows {
  readonly list: [KindCode, string][] = [];
  private readonly seen = new Set<string>();
  add(kind: KindCode, id: unknown): void {
    if (typeof id !== 'string' || !id) return;
    const key = kind + id; // kinds are one digit: no two pairs share a key
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.list.push([kind, id]);
  }
  /** An Agent or Group by its IFI, and a Group's members by theirs. */
  actor(kind: KindCode, a: unknown): void {
    if (!isObj(a)) return;
    this.add(kind, ifiKey(a as unknown as Actor));
    if (a.objectType === 'Group' && Array.isArray(a.member))
      for (const m of a.member as Actor[]) this.add(kind, ifiKey(m));
  }
  contextAgents(kind: KindCode, ctx: unknown): void {
    if (!isObj(ctx)) return;
    this.actor(kind, ctx.instructor);
    this.actor(kind, ctx.team);
    if (Array.isArray(ctx.contextAgents))
      for (const c of ctx.contextAgents as Obj[]) this.actor(kind, c.agent);
    if (Array.isArray(ctx.contextGroups))
      for (const c of ctx.contextGroups as Obj[]) this.actor(kind, c.group);
  }
  contextActivities(kind: KindCode, ctx: unknown): void {
    if (!isObj(ctx) || !isObj(ctx.contextActivities)) return;
    for (const v of Object.values(ctx.contextActivities)) {
      if (Array.isArray(v)) for (const a of v as Obj[]) this.add(kind, a.id);
      else if (isObj(v)) this.add(kind, v.id);
    }
  }
}

/** The [kind, identifier] pairs under which queries find a statement (its own, not inherited). */
export function relatedRows(s: Statement): [KindCode, string][] {
  const object = s.object as Obj;
  const rows = new Rows();
  rows.actor(Kind.agent, s.actor);
  if (isAgentObject(object)) rows.actor(Kind.agent, object);
  rows.actor(Kind.relatedAgent, s.actor);
  if (isAgentObject(object)) rows.actor(Kind.relatedAgent, object);
  rows.actor(Kind.relatedAgent, s.authority);
  rows.contextAgents(Kind.relatedAgent, s.context);
  if (isActivityObject(object)) {
    rows.add(Kind.activity, object.id);
    rows.add(Kind.relatedActivity, object.id);
  }
  rows.contextActivities(Kind.relatedActivity, s.context);
  if (object.objectType === 'SubStatement') {
    const sub = object.object as Obj;
    rows.actor(Kind.relatedAgent, object.actor);
    if (isAgentObject(sub)) rows.actor(Kind.relatedAgent, sub);
    rows.contextAgents(Kind.relatedAgent, object.context);
    if (isActivityObject(sub)) rows.add(Kind.relatedActivity, sub.id);
    rows.contextActivities(Kind.relatedActivity, object.context);
  }
  rows.add(Kind.verb, (s.verb as Obj).id);
  const ctx = s.context as Obj | undefined;
  if (ctx && typeof ctx.registration === 'string')
    rows.add(Kind.registration, ctx.registration.toLowerCase());
  return rows.list;
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
