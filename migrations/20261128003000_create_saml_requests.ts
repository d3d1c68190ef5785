import type { Knex } from 'knex';

// Ids of the SAML requests we sent (sign-in and logout), so that any process can check an answer's InResponseTo.
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('saml_requests', (t) => {
    t.text('id').primary();
    t.string('kind', 16).notNullable();
    t.text('value').notNullable();
    t.timestamp('expires_at').notNullable().index();
    t.timestamp('created_at').notNullable().defaultTo(db.fn.now());
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('saml_requests');
}
