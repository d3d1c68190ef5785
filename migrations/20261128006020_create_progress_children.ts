import type { Knex } from 'knex';

// Child assessments of an item (e.g. the quizzes of an authored course): their passed/failed scores.
export async function up(db: Knex): Promise<void> {
  await db.raw(`
    create table progress_children (
      enrolment_id uuid not null references enrolments (id) on delete cascade,
      activity_id uuid not null references activities (id) on delete cascade,
      iri text not null,
      child_iri text not null,
      passed_ever boolean not null default false,
      best_score double precision,
      last_score double precision,
      last_seq bigint not null,
      primary key (enrolment_id, activity_id, iri, child_iri)
    )`);
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('progress_children');
}
