import type { Knex } from 'knex';

// Per (enrolment, course activity, item IRI): aggregates of its statements that merge by addition,
// minimum, maximum and "newest by seq", so a batch folds in the same way a rebuild does.
export async function up(db: Knex): Promise<void> {
  await db.raw(`
    create table progress_items (
      enrolment_id uuid not null references enrolments (id) on delete cascade,
      activity_id uuid not null references activities (id) on delete cascade,
      iri text not null,
      statements integer not null default 0,
      first_at timestamptz,
      last_at timestamptz,
      completed boolean not null default false,
      completed_at timestamptz,
      passed_ever boolean not null default false,
      failed_ever boolean not null default false,
      best_score double precision,
      last_score double precision,
      last_score_seq bigint,
      session_ms bigint not null default 0,
      sessions_seen boolean not null default false,
      completed_ms bigint not null default 0,
      attempts integer not null default 0,
      primary key (enrolment_id, activity_id, iri)
    )`);
  await db.raw('create index progress_items_activity_idx on progress_items (activity_id)');
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('progress_items');
}
