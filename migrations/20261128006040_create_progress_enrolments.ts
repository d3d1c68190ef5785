import type { Knex } from 'knex';

// Per enrolment: its tracked activities rolled up; what course reports and learner lists read.
export async function up(db: Knex): Promise<void> {
  await db.raw(`
    create table progress_enrolments (
      enrolment_id uuid primary key references enrolments (id) on delete cascade,
      course_id uuid not null references courses (id) on delete cascade,
      user_id uuid not null references users (id) on delete cascade,
      status text not null,
      completed boolean not null,
      success boolean,
      score double precision,
      progress_pct integer not null,
      time_ms bigint not null,
      attempts integer not null,
      first_at timestamptz,
      last_at timestamptz,
      completed_at timestamptz
    )`);
  await db.raw('create index progress_enrolments_course_idx on progress_enrolments (course_id, status)');
  await db.raw('create index progress_enrolments_user_idx on progress_enrolments (user_id)');
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('progress_enrolments');
}
