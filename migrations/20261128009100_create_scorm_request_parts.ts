import type { Knex } from 'knex';

// Parts of a player request too large for one beacon (a beacon carries at most 64 KiB): kept until the last
// part arrives, then the request is put together and applied as one, in the transaction of that last part.
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('scorm_request_parts', (t) => {
    t.uuid('session_id').notNullable().references('scorm_sessions.id').onDelete('CASCADE');
    t.integer('q').notNullable();
    t.integer('i').notNullable();
    t.integer('n').notNullable();
    t.text('data').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.primary(['session_id', 'q', 'i']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('scorm_request_parts');
}
