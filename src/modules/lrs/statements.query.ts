import { createHash } from 'node:crypto';
import type { Db } from '../../platform/db.js';
import { BadRequest } from '../../platform/errors.js';
import { ifiKey } from './ifi.js';
import type { Actor } from './lrs.types.js';
import type { StatementFormat } from './statements.format.js';
import { Kind, type KindCode } from './statements.model.js';
import { runPrepared } from './statements.repo.js';
import { checkStatementRules } from './statements.rules.js';
import { checkActorParam, FORMATS, UUID } from './statements.schemas.js';

/** A parsed query of GET statements (without statementId / voidedStatementId). */
export interface StatementQuery {
  filters: [KindCode, string][];
  since?: string;
  until?: string;
  limit: number;
  ascending: boolean;
  format: StatementFormat;
  attachments: boolean;
  /** statements/read/mine: only statements stored with this authority */
  authorityKey?: string;
}

/** Where the next page starts: after (stored, seq), and never past the last seq of the first page. */
export interface Cursor {
  stored: string;
  seq: number;
  maxSeq: number;
}

export const MAX_LIMIT = 500;
const QUERY_PARAMS = new Set([
  'agent',
  'verb',
  'activity',
  'registration',
  'related_activities',
  'related_agents',
  'since',
  'until',
  'limit',
  'format',
  'attachments',
  'ascending',
]);

const bad = (param: string, rule: string) => new BadRequest('lrs-statements:badParam', { param, rule });

export function parseBoolean(q: Record<string, string>, name: string): boolean {
  const v = q[name];
  if (v === undefined) return false;
  if (v !== 'true' && v !== 'false') throw bad(name, 'must be true or false');
  return v === 'true';
}

export function parseFormat(q: Record<string, string>): StatementFormat {
  const f = q.format ?? 'exact';
  if (f !== 'exact' && f !== 'ids' && f !== 'canonical')
    throw bad('format', 'must be ids, exact or canonical');
  return f;
}

function timestampParam(q: Record<string, string>, name: string): string | undefined {
  const v = q[name];
  if (v === undefined) return undefined;
  if (!FORMATS['xapi-timestamp']!(v)) throw bad(name, 'must be an ISO 8601 timestamp with a time zone');
  return new Date(v).toISOString();
}

/** Reads and checks the query parameters; refuses unknown ones (their case included). */
export function parseQuery(q: Record<string, string>): StatementQuery {
  for (const k of Object.keys(q))
    if (!QUERY_PARAMS.has(k)) throw bad(k, 'is not a parameter of this resource');
  const filters: [KindCode, string][] = [];
  if (q.agent !== undefined) {
    let agent: unknown;
    try {
      agent = JSON.parse(q.agent);
    } catch {
      throw bad('agent', 'must be an Agent or identified Group as JSON');
    }
    const reason = checkActorParam(agent) ?? checkStatementRules({ actor: agent, verb: {}, object: {} });
    const key = reason ? null : ifiKey(agent as Actor);
    if (!key) throw bad('agent', reason ?? 'must be an Agent or identified Group (with an identifier)');
    filters.push([parseBoolean(q, 'related_agents') ? Kind.relatedAgent : Kind.agent, key]);
  } else parseBoolean(q, 'related_agents');
  if (q.verb !== undefined) {
    if (!FORMATS['xapi-iri']!(q.verb)) throw bad('verb', 'must be an IRI');
    filters.push([Kind.verb, q.verb]);
  }
  if (q.activity !== undefined) {
    if (!FORMATS['xapi-iri']!(q.activity)) throw bad('activity', 'must be an IRI');
    filters.push([parseBoolean(q, 'related_activities') ? Kind.relatedActivity : Kind.activity, q.activity]);
  } else parseBoolean(q, 'related_activities');
  if (q.registration !== undefined) {
    if (!UUID.test(q.registration)) throw bad('registration', 'must be a UUID');
    filters.push([Kind.registration, q.registration.toLowerCase()]);
  }
  let limit = MAX_LIMIT;
  if (q.limit !== undefined) {
    if (!/^\d+$/.test(q.limit)) throw bad('limit', 'must be a non-negative integer');
    limit = Number(q.limit) === 0 ? MAX_LIMIT : Math.min(Number(q.limit), MAX_LIMIT);
  }
  return {
    filters,
    since: timestampParam(q, 'since'),
    until: timestampParam(q, 'until'),
    limit,
    ascending: parseBoolean(q, 'ascending'),
    format: parseFormat(q),
    attachments: parseBoolean(q, 'attachments'),
  };
}

// The most selective filter drives the index scan; the others are checked per row.
const DRIVE_ORDER: KindCode[] = [
  Kind.registration,
  Kind.activity,
  Kind.agent,
  Kind.relatedActivity,
  Kind.relatedAgent,
  Kind.verb,
];

export interface QueryPage {
  /** `text`: the statement's JSON as stored, passed through without parsing when it can be */
  rows: { seq: number; stored: Date; text: string }[];
  next: Cursor | null;
}

/**
 * One page of statements, newest first unless ascending; voided statements never appear.
 * Each shape of query is a named prepared statement on the server (planned once per connection).
 */
export async function queryStatements(db: Db, q: StatementQuery, cursor: Cursor | null): Promise<QueryPage> {
  const filters = [...q.filters].sort((a, b) => DRIVE_ORDER.indexOf(a[0]) - DRIVE_ORDER.indexOf(b[0]));
  const [drive, ...rest] = filters;
  const t = drive ? 'r' : 's';
  const values: unknown[] = [];
  const p = (v: unknown) => {
    values.push(v);
    return `$${values.length}`;
  };
  const where: string[] = [];
  let from = 'statements s';
  if (drive) {
    from = 'statement_related r join statements s on s.seq = r.seq';
    where.push(`r.ident = ${p(drive[1])}`, `r.kind = ${p(drive[0])}`);
  }
  where.push('not s.voided');
  if (q.since) where.push(`${t}.stored > ${p(q.since)}::timestamptz`);
  if (q.until) where.push(`${t}.stored <= ${p(q.until)}::timestamptz`);
  if (cursor) {
    const op = q.ascending ? '>' : '<';
    where.push(`(${t}.stored, ${t}.seq) ${op} (${p(cursor.stored)}::timestamptz, ${p(cursor.seq)}::bigint)`);
    where.push(`${t}.seq <= ${p(cursor.maxSeq)}::bigint`);
  }
  // one probe of the lookup index per row of the drive; `offset 0` keeps the planner from turning it into
  // a join that reads every row of the other filter (hundreds of ms for a verb, say)
  for (const [kind, ident] of rest)
    where.push(
      `exists (select 1 from statement_related x where x.ident = ${p(ident)} and x.kind = ${p(kind)} and x.stored = r.stored and x.seq = r.seq offset 0)`,
    );
  if (q.authorityKey) where.push(`s.authority_key = ${p(q.authorityKey)}`);
  const dir = q.ascending ? 'asc' : 'desc';
  const sql = `select s.seq, ${t}.stored, s.statement::text as text, (select max(seq) from statements) as max_seq
  from ${from} where ${where.join(' and ')}
  order by ${t}.stored ${dir}, ${t}.seq ${dir} limit ${p(q.limit + 1)}`;
  const name = `lrs_q_${createHash('sha1').update(sql).digest('hex').slice(0, 16)}`;
  const rows = await runPrepared<{
    seq: number | string;
    stored: Date;
    text: string;
    max_seq: number | string;
  }>(db, name, sql, values);
  const page = rows.slice(0, q.limit).map((r) => ({ seq: Number(r.seq), stored: r.stored, text: r.text }));
  const last = page[page.length - 1];
  const next =
    rows.length > q.limit && last
      ? {
          stored: new Date(last.stored).toISOString(),
          seq: last.seq,
          maxSeq: cursor?.maxSeq ?? Number(rows[0]!.max_seq),
        }
      : null;
  return { rows: page, next };
}

/** The `more` token: the query and where its next page starts (opaque to clients). */
export function encodeMore(q: StatementQuery, c: Cursor): string {
  return Buffer.from(JSON.stringify({ q, c })).toString('base64url');
}

export function decodeMore(token: string): { q: StatementQuery; c: Cursor } {
  try {
    const v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      q: StatementQuery;
      c: Cursor;
    };
    if (!v.q || !Array.isArray(v.q.filters) || typeof v.c?.seq !== 'number') throw new Error('shape');
    return v;
  } catch {
    throw bad('more', 'is not a link this LRS gave out');
  }
}
