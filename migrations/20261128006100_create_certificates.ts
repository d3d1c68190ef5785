import type { Knex } from 'knex';

// A certificate of one enrolment. What it says (names, title, hours) is kept as issued, so that the
// PDF and the verification page never change afterwards. `generation` 1 is the automatic issue;
// a re-issue by a coordinator is the next generation (the unique pair keeps "issued once").
export async function up(db: Knex): Promise<void> {
  await db.raw(`
    create table certificates (
      id uuid primary key default gen_random_uuid(),
      code text not null unique,
      enrolment_id uuid not null references enrolments (id) on delete cascade,
      course_id uuid not null references courses (id) on delete cascade,
      user_id uuid not null references users (id) on delete cascade,
      generation integer not null,
      learner_name text not null,
      course_title text not null,
      course_language text not null,
      trainer_name text,
      language text not null,
      hours double precision,
      score double precision,
      rule text not null,
      issued_at timestamptz not null default now(),
      credential text not null,
      revoked_at timestamptz,
      revoked_by uuid references users (id) on delete set null,
      revoked_reason text,
      issued_by uuid references users (id) on delete set null,
      unique (enrolment_id, generation)
    )`);
  await db.raw('create index certificates_user_idx on certificates (user_id, issued_at desc)');
  await db.raw('create index certificates_course_idx on certificates (course_id, issued_at desc)');
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('certificates');
}
