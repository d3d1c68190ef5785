import type { Knex } from 'knex';
import type { Db } from '../../platform/db.js';
import type { KindCode, Statement } from './statements.model.js';

/** A statement ready to insert: the JSON, its related rows and the values queries need. */
export interface InsertRow {
  /** statement id */
  i: string;
  /** the full statement as stored */
  s: Statement;
  /** [kind, identifier] rows of statement_related */
  r: [KindCode, string][];
  /** actor IFI key */
  ak: string | null;
  /** object Activity id */
  ac: string | null;
  /** object StatementRef id */
  or: string | null;
  /** is a voiding statement */
  vd: boolean;
  /** authority key (for statements/read/mine) */
  au: string | null;
  /** to forward to the external LRS */
  f?: boolean;
}

/** A column of registrations (`table.column`, uuid) that a projection hook has work for. */
export interface TrackedRegistrations {
  table: string;
  column: string;
}

const IDENT = /^[a-z_][a-z0-9_]*$/;

/**
 * One SQL statement writes a whole batch: the statements expanded server-side from a JSON array
 * (columns extracted in SQL), their related rows, the rows inherited from StatementRef targets and,
 * when forwarding is on, the forwarding queue. One statement is atomic without a transaction.
 * An inherited row that repeats an own one is left out by `not exists` (no unique key on the table; no
 * hash aggregate of `union`, which cost a quarter of the CPU of a single insert).
 * With `unlessTracked`, nothing is written if a statement's registration is in one of those columns
 * (a hook must then run in the same transaction); a row with a null id says so.
 */
export function insertSql(forwarding: boolean, unlessTracked: TrackedRegistrations[] = []): string {
  for (const t of unlessTracked)
    if (!IDENT.test(t.table) || !IDENT.test(t.column))
      throw new Error(`not an identifier: ${t.table}.${t.column}`);
  const tracked = unlessTracked
    .map(
      (t) =>
        `exists (select 1 from input join ${t.table} g on g.${t.column} = (input.e->'s'->'context'->>'registration')::uuid)`,
    )
    .join(' or ');
  return `with input as (
  select e from jsonb_array_elements($1::jsonb) with ordinality as t(e, ord) order by ord
)${
    tracked
      ? `, tracked as (
  select ${tracked} as yes
)`
      : ''
  }, ins as (
  insert into statements (id, actor_key, verb_id, activity_id, object_statement_id, registration,
    authority_key, stored, "timestamp", voiding, voided, has_attachments, statement)
  select (e->>'i')::uuid, e->>'ak', e->'s'->'verb'->>'id', e->>'ac', (e->>'or')::uuid,
    (e->'s'->'context'->>'registration')::uuid, e->>'au', (e->'s'->>'stored')::timestamptz,
    (e->'s'->>'timestamp')::timestamptz, (e->>'vd')::boolean,
    not (e->>'vd')::boolean and exists (select 1 from statements v
      where v.voiding and v.object_statement_id = (e->>'i')::uuid),
    (e->'s'->'attachments') is not null, e->'s'
  from input${tracked ? ' where not (select yes from tracked)' : ''}
  on conflict (id) do nothing
  returning seq, id, stored
), joined as (
  select ins.seq, ins.stored, input.e from ins join input on (input.e->>'i')::uuid = ins.id
), rel as (
  insert into statement_related (seq, kind, ident, stored)
  select j.seq, (r->>0)::smallint, r->>1, j.stored from joined j cross join lateral jsonb_array_elements(j.e->'r') r
  union all
  select j.seq, t.kind, t.ident, j.stored from joined j
    join statements target on target.id = (j.e->>'or')::uuid
    join statement_related t on t.seq = target.seq
  where not exists (select 1 from jsonb_array_elements(j.e->'r') own
    where (own->>0)::smallint = t.kind and own->>1 = t.ident)
)${
    forwarding
      ? `, fwd as (
  insert into lrs_forward_queue (seq) select j.seq from joined j where (j.e->>'f')::boolean
)`
      : ''
  }
select id::text as id from ins${tracked ? '\nunion all select null from tracked where yes' : ''}`;
}

interface PgConn {
  query(q: { name?: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

const isPgClient = (db: Db | Knex.Transaction) =>
  (db.client as { config: { client?: unknown } }).config.client === 'pg';

/**
 * Runs SQL written with $1, $2 … placeholders: a named prepared statement on a PostgreSQL server
 * (parsed and planned once per connection), a plain parameterised query on PGlite.
 */
export async function runPrepared<T>(
  db: Db | Knex.Transaction,
  name: string,
  text: string,
  values: unknown[],
): Promise<T[]> {
  if (isPgClient(db)) {
    const client = db.client as Knex.Client;
    const conn = (await client.acquireConnection()) as PgConn;
    try {
      return (await conn.query({ name, text, values })).rows as T[];
    } finally {
      await client.releaseConnection(conn);
    }
  }
  // knex binds with "?"; every $n of our SQL appears once, in order
  const res = (await db.raw(text.replace(/\$\d+/g, '?'), values as Knex.RawBinding[])) as { rows: T[] };
  return res.rows;
}

/**
 * Inserts a batch; returns the ids actually inserted (an id already stored is skipped), or null when
 * `unlessTracked` found a tracked registration and nothing was written.
 */
export async function insertStatements(
  db: Db | Knex.Transaction,
  rows: InsertRow[],
  forwarding: boolean,
  unlessTracked: TrackedRegistrations[] = [],
): Promise<Set<string> | null> {
  const sql = insertSql(forwarding, unlessTracked);
  const name = `lrs_insert${forwarding ? '_fwd' : ''}${unlessTracked.map((t) => `_${t.table}_${t.column}`).join('')}`;
  const out = await runPrepared<{ id: string | null }>(db, name, sql, [JSON.stringify(rows)]);
  if (out.some((r) => r.id === null)) return null;
  return new Set(out.map((r) => r.id!));
}

/** Marks the targets of voiding statements as voided; a voiding statement itself is never voided. */
export async function voidTargets(db: Db | Knex.Transaction, ids: string[]): Promise<void> {
  if (!ids.length) return;
  await db('statements').whereIn('id', ids).andWhere('voiding', false).update({ voided: true });
}

export async function findByIds(db: Db | Knex.Transaction, ids: string[]): Promise<Map<string, Statement>> {
  if (!ids.length) return new Map();
  const rows = (await db('statements').whereIn('id', ids).select('id', 'statement')) as {
    id: string;
    statement: Statement;
  }[];
  return new Map(rows.map((r) => [r.id, r.statement]));
}

export interface StoredRow {
  seq: number;
  stored: Date;
  voided: boolean;
  /** the statement's JSON as stored */
  text: string;
  authority_key: string | null;
}

export async function findOne(db: Db, id: string): Promise<StoredRow | undefined> {
  return (await db('statements')
    .where({ id })
    .first('seq', 'stored', 'voided', db.raw('statement::text as text'), 'authority_key')) as
    StoredRow | undefined;
}
