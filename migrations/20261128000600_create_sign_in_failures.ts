import type { Knex } from 'knex';

// Kept in the database, not in memory, so that the limit holds across processes.
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('sign_in_failures', (t) => {
    t.bigIncrements('id');
    t.text('email').notNullable();
    t.text('ip').notNullable();
    t.timestamp('created_at').notNullable().defaultTo(db.fn.now());
    t.index(['email', 'created_at']);
    t.index(['ip', 'created_at']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('sign_in_failures');
}
