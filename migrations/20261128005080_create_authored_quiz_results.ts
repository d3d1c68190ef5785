import type { Knex } from 'knex';

// Every submission of a quiz in an attempt, with the responses and their correctness.
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('authored_quiz_results', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    t.uuid('attempt_id').notNullable().references('authored_attempts.id').onDelete('CASCADE');
    t.uuid('block_id').notNullable();
    t.double('score_scaled').notNullable();
    t.boolean('passed').notNullable();
    t.jsonb('responses').notNullable();
    t.timestamp('submitted_at').notNullable().defaultTo(db.fn.now());
    t.index(['attempt_id', 'block_id']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('authored_quiz_results');
}
