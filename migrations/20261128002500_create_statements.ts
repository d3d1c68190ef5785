import type { Knex } from 'knex';

// The statement as received (JSONB) plus the columns that identify it; filters go through
// statement_related. `seq` orders statements the way they were stored and makes paging stable.
// No updated_at: statements are immutable (only `voided` changes, when a voiding statement arrives).
export async function up(db: Knex): Promise<void> {
  await db.raw(`
    create table statements (
      seq bigint generated always as identity primary key,
      id uuid not null unique,
      actor_key text,
      verb_id text not null,
      activity_id text,
      object_statement_id uuid,
      registration uuid,
      authority_key text,
      stored timestamptz not null,
      "timestamp" timestamptz not null,
      voiding boolean not null default false,
      voided boolean not null default false,
      has_attachments boolean not null default false,
      statement jsonb not null
    )`);
  await db.raw('create index statements_stored_idx on statements (stored desc, seq desc)');
  await db.raw(
    'create index statements_voiding_target_idx on statements (object_statement_id) where voiding',
  );
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('statements');
}
