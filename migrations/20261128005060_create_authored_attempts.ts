import type { Knex } from 'knex';

// A learner taking one published version, per enrolment registration (the xAPI registration).
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('authored_attempts', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    t.uuid('authored_course_id').notNullable().references('authored_courses.id').onDelete('CASCADE');
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.uuid('enrolment_id').notNullable().references('enrolments.id').onDelete('CASCADE');
    t.uuid('registration').notNullable().unique();
    t.integer('version').notNullable();
    t.timestamp('launched_at').notNullable().defaultTo(db.fn.now());
    t.timestamp('completed_at');
    t.timestamps(true, true);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('authored_attempts');
}
