import type { Knex } from 'knex';

// Writing statement_related rows cost PostgreSQL more in the foreign key's per-row check (and row lock of the
// statement) and in the unique (seq, kind, ident) key than in the rows themselves. Both rows and statement are
// written by one SQL statement and statements are never deleted, so the check guards nothing; pairs are made
// unique before the insert. What still looks rows up by statement (the rows a StatementRef inherits, a second
// filter of a query) reads a plain index on seq: increasing keys, ten rows per key, deduplicated and small.
export async function up(db: Knex): Promise<void> {
  await db.raw('alter table statement_related drop constraint statement_related_seq_fkey');
  await db.raw('alter table statement_related drop constraint statement_related_pkey');
  await db.raw('create index statement_related_seq_idx on statement_related (seq)');
}

export async function down(db: Knex): Promise<void> {
  await db.raw('drop index statement_related_seq_idx');
  await db.raw('alter table statement_related add primary key (seq, kind, ident)');
  await db.raw(
    'alter table statement_related add foreign key (seq) references statements (seq) on delete cascade',
  );
}
