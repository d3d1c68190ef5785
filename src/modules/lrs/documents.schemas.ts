import { BadRequest } from '../../platform/errors.js';
import { ifiKey } from './ifi.js';
import type { Agent, Group } from './lrs.types.js';

/** Parsing the query parameters of the document, Activities and Agents resources; refusals name the parameter. */

export const IRI = /^[a-z][a-z0-9+.-]*:[^\s<>"{}|\\^`]+$/i;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAILTO = /^mailto:[^@\s]+@[^@\s]+$/i;
const SHA1 = /^[0-9a-f]{40}$/i;
const TIMESTAMP =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d(:([0-5]\d|60)(\.\d+)?)?(Z|[+-]([01]\d|2[0-3])(:?[0-5]\d)?)$/;
// Keys of the unique index stay well under PostgreSQL's ~2.7 kB per index entry.
const MAX_PART = 1000;

type Query = Record<string, unknown>;
const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Refuses parameters the resource does not know, and repeated ones. */
export function checkParams(query: Query, allowed: readonly string[]): void {
  for (const [name, value] of Object.entries(query)) {
    if (!allowed.includes(name)) {
      throw new BadRequest('lrs:params.unknown', { name, allowed: allowed.join(', ') });
    }
    if (typeof value !== 'string') throw new BadRequest('lrs:params.repeated', { name });
  }
}

function required(query: Query, name: string): string {
  const v = query[name];
  if (typeof v !== 'string' || v === '') throw new BadRequest('lrs:params.missing', { name });
  return v;
}

const optional = (query: Query, name: string): string | undefined => {
  const v = query[name];
  return typeof v === 'string' ? v : undefined;
};

export function iriParam(query: Query, name: string): string {
  const v = required(query, name);
  if (!IRI.test(v)) throw new BadRequest('lrs:params.iri', { name, value: v });
  if (v.length > MAX_PART) throw new BadRequest('lrs:params.tooLong', { name, max: MAX_PART });
  return v;
}

export function idParam(query: Query, name: string): string {
  const v = required(query, name);
  if (v.length > MAX_PART) throw new BadRequest('lrs:params.tooLong', { name, max: MAX_PART });
  return v;
}

export function registrationParam(query: Query): string | undefined {
  const v = optional(query, 'registration');
  if (v === undefined) return undefined;
  if (!UUID.test(v)) throw new BadRequest('lrs:params.uuid', { name: 'registration', value: v });
  return v.toLowerCase();
}

export function sinceParam(query: Query): Date | undefined {
  const v = optional(query, 'since');
  if (v === undefined) return undefined;
  const d = new Date(v);
  if (!TIMESTAMP.test(v) || Number.isNaN(d.getTime())) {
    throw new BadRequest('lrs:params.timestamp', { name: 'since', value: v });
  }
  return d;
}

const AGENT_PROPS = new Set(['objectType', 'name', 'mbox', 'mbox_sha1sum', 'openid', 'account']);
const IFIS = ['mbox', 'mbox_sha1sum', 'openid', 'account'] as const;

/** Checks an Agent (or, where allowed, an identified Group) object; returns the reason it is not one. */
export function agentProblem(a: unknown, opts: { allowGroup: boolean }): string | null {
  if (!isObj(a)) return 'must be a JSON object';
  if (a.objectType !== undefined && a.objectType !== 'Agent') {
    if (!(opts.allowGroup && a.objectType === 'Group')) {
      return opts.allowGroup ? 'objectType must be "Agent" or "Group"' : 'objectType must be "Agent"';
    }
  }
  for (const key of Object.keys(a)) {
    if (!AGENT_PROPS.has(key) && !(key === 'member' && a.objectType === 'Group')) {
      return `has an unknown property "${key}"`;
    }
  }
  const present = IFIS.filter((k) => a[k] !== undefined);
  if (present.length !== 1) {
    return `needs exactly one identifier (mbox, mbox_sha1sum, openid or account), found ${present.length}`;
  }
  if (a.name !== undefined && typeof a.name !== 'string') return 'name must be a string';
  if (a.mbox !== undefined && (typeof a.mbox !== 'string' || !MAILTO.test(a.mbox))) {
    return 'mbox must be a "mailto:" IRI';
  }
  if (a.mbox_sha1sum !== undefined && (typeof a.mbox_sha1sum !== 'string' || !SHA1.test(a.mbox_sha1sum))) {
    return 'mbox_sha1sum must be a 40-character hex SHA-1';
  }
  if (a.openid !== undefined && (typeof a.openid !== 'string' || !IRI.test(a.openid))) {
    return 'openid must be an absolute IRI';
  }
  if (a.account !== undefined) {
    const acc = a.account;
    if (!isObj(acc)) return 'account must be an object';
    for (const key of Object.keys(acc)) {
      if (key !== 'homePage' && key !== 'name') return `account has an unknown property "${key}"`;
    }
    if (typeof acc.homePage !== 'string' || !IRI.test(acc.homePage)) {
      return 'account.homePage must be an absolute IRL';
    }
    if (typeof acc.name !== 'string' || acc.name === '') return 'account.name must be a non-empty string';
  }
  return null;
}

/** The `agent` parameter: JSON of an Agent (xAPI 2.0 also takes an identified Group). */
export function agentParam(
  query: Query,
  opts: { allowGroup: boolean; name?: string } = { allowGroup: false },
): { agent: Agent | Group; key: string } {
  const name = opts.name ?? 'agent';
  const raw = required(query, name);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new BadRequest('lrs:params.agentJson', { name });
  }
  const problem = agentProblem(parsed, opts);
  if (problem) throw new BadRequest('lrs:params.agent', { name, problem });
  const agent = parsed as Agent | Group;
  const key = ifiKey(agent)!;
  if (key.length > MAX_PART) throw new BadRequest('lrs:params.tooLong', { name, max: MAX_PART });
  return { agent, key };
}
