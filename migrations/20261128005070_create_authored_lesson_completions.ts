import type { Knex } from 'knex';

// Lessons an attempt has completed.
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('authored_lesson_completions', (t) => {
    t.uuid('attempt_id').notNullable().references('authored_attempts.id').onDelete('CASCADE');
    t.uuid('lesson_id').notNullable();
    t.timestamp('completed_at').notNullable().defaultTo(db.fn.now());
    t.primary(['attempt_id', 'lesson_id']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('authored_lesson_completions');
}
