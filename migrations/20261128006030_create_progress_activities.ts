import type { Knex } from 'knex';

// Per (enrolment, course activity): its items rolled up. Rewritten whole for the enrolments a batch touches.
export async function up(db: Knex): Promise<void> {
  await db.raw(`
    create table progress_activities (
      enrolment_id uuid not null references enrolments (id) on delete cascade,
      activity_id uuid not null references activities (id) on delete cascade,
      status text not null,
      completed boolean not null,
      success boolean,
      score double precision,
      last_score double precision,
      time_ms bigint not null,
      attempts integer not null,
      first_at timestamptz,
      last_at timestamptz,
      completed_at timestamptz,
      primary key (enrolment_id, activity_id)
    )`);
  await db.raw('create index progress_activities_activity_idx on progress_activities (activity_id)');
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('progress_activities');
}
