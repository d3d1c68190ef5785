import type { Knex } from 'knex';

// One row per (statement, kind, identifier) that a query can filter on: agent (actor or object),
// related agent, activity (object), related activity, verb, registration. A statement that targets
// another by StatementRef also gets the target's rows (xAPI "filter conditions for StatementRefs").
// `stored` is repeated here so that every query shape is one ordered index range scan.
export async function up(db: Knex): Promise<void> {
  await db.raw(`
    create table statement_related (
      seq bigint not null references statements (seq) on delete cascade,
      kind smallint not null,
      ident text not null,
      stored timestamptz not null,
      primary key (seq, kind, ident)
    )`);
  await db.raw(
    'create index statement_related_lookup_idx on statement_related (ident, kind, stored desc, seq desc)',
  );
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('statement_related');
}
