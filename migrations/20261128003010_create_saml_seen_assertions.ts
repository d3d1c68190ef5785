import type { Knex } from 'knex';

// Every accepted assertion id until it expires, so that none is accepted twice (by any process).
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('saml_seen_assertions', (t) => {
    t.text('id').primary();
    t.timestamp('expires_at').notNullable().index();
    t.timestamp('created_at').notNullable().defaultTo(db.fn.now());
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('saml_seen_assertions');
}
