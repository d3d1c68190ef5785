import type { Knex } from 'knex';

// Secrets the platform makes for itself when none is configured (e.g. the session secret).
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('platform_secrets', (t) => {
    t.string('name', 64).primary();
    t.text('value').notNullable();
    t.timestamps(true, true);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('platform_secrets');
}
