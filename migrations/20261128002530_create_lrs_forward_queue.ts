import type { Knex } from 'knex';

// Statements waiting to be forwarded to an external LRS, written in the same SQL statement as the
// statements themselves so that nothing stored is ever missed (at-least-once delivery).
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('lrs_forward_queue', (t) => {
    t.bigInteger('seq').primary().references('seq').inTable('statements').onDelete('CASCADE');
    t.integer('attempts').notNullable().defaultTo(0);
    t.timestamp('next_attempt_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.text('last_error');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.index(['next_attempt_at', 'seq']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('lrs_forward_queue');
}
