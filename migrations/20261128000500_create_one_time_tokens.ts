import type { Knex } from 'knex';

// Links sent by mail (password reset, invitation): only a hash of the token is stored.
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('one_time_tokens', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.string('purpose', 32).notNullable();
    t.string('token_hash', 64).notNullable().unique();
    t.timestamp('expires_at').notNullable();
    t.timestamp('used_at');
    t.timestamps(true, true);
    t.index(['user_id', 'purpose']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('one_time_tokens');
}
