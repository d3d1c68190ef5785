import type { Knex } from 'knex';

// One enrolment per (course, learner). `registration` is the xAPI registration of its attempts.
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('enrolments', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    t.uuid('course_id').notNullable().references('courses.id').onDelete('RESTRICT');
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.uuid('registration').notNullable().unique();
    t.string('status', 16).notNullable().defaultTo('active');
    t.uuid('enrolled_by').references('users.id').onDelete('SET NULL');
    t.timestamp('enrolled_at').notNullable().defaultTo(db.fn.now());
    t.timestamp('completed_at');
    t.timestamp('withdrawn_at');
    t.timestamps(true, true);
    t.unique(['course_id', 'user_id']);
    t.index(['user_id']);
  });
  await db.raw(
    `alter table enrolments add constraint enrolments_status_check check (status in ('active', 'completed', 'withdrawn'))`,
  );
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('enrolments');
}
