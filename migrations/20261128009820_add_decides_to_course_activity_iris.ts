import type { Knex } from 'knex';

// An item that decides its course activity (a SCORM 2004 package's root, rolled up by its own sequencing
// rules): once it is completed, so is the activity, and its verdict and score are the activity's.
export async function up(db: Knex): Promise<void> {
  await db.raw('alter table course_activity_iris add column decides boolean not null default false');
}

export async function down(db: Knex): Promise<void> {
  await db.raw('alter table course_activity_iris drop column decides');
}
