import type { Knex } from 'knex';

// The shape connect-session-knex expects, with jsonb so a user's sessions can be found and ended.
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('sessions', (t) => {
    t.string('sid').primary();
    t.jsonb('sess').notNullable();
    t.timestamp('expired').notNullable().index();
  });
  await db.raw(`create index sessions_user on sessions ((sess -> 'passport' ->> 'user'))`);
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('sessions');
}
