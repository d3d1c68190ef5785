import type { Knex } from 'knex';

// One launch of an attempt: the player commits with this session's token (only its hash is kept). The
// session number orders commits across sessions: a late commit of an older session never wins.
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('scorm_sessions', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    t.uuid('attempt_id').notNullable().references('scorm_attempts.id').onDelete('CASCADE');
    t.integer('number').notNullable();
    t.string('token_hash', 64).notNullable().unique();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('last_seen_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.unique(['attempt_id', 'number']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('scorm_sessions');
}
