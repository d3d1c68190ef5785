import type { Knex } from 'knex';

// The activity chart of a course reads its learner-days through one index range (course, day) instead of
// scanning every course's days; the learner list and summary read progress_enrolments by (course_id, status).
export async function up(db: Knex): Promise<void> {
  await db.raw(
    'alter table progress_days add column course_id uuid references courses (id) on delete cascade',
  );
  await db.raw(
    'update progress_days d set course_id = e.course_id from enrolments e where e.id = d.enrolment_id',
  );
  await db.raw('alter table progress_days alter column course_id set not null');
  await db.raw('create index progress_days_course_day_idx on progress_days (course_id, day)');
}

export async function down(db: Knex): Promise<void> {
  await db.raw('alter table progress_days drop column course_id');
}
