import type { Knex } from 'knex';

// Statements per enrolment and day (UTC), for the "activity over time" chart without reading statements.
export async function up(db: Knex): Promise<void> {
  await db.raw(`
    create table progress_days (
      enrolment_id uuid not null references enrolments (id) on delete cascade,
      day date not null,
      statements integer not null,
      primary key (enrolment_id, day)
    )`);
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('progress_days');
}
