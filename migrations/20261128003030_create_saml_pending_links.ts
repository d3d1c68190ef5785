import type { Knex } from 'knex';

// An IdP identity waiting to be linked to the local account with its email, until its owner enters that account's password.
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('saml_pending_links', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.text('subject').notNullable();
    t.jsonb('identity').notNullable();
    t.timestamp('expires_at').notNullable().index();
    t.timestamp('created_at').notNullable().defaultTo(db.fn.now());
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('saml_pending_links');
}
