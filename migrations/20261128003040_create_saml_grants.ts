import type { Knex } from 'knex';

// Roles and group memberships that SAML sign-in gave a user, so that it takes back only what it gave.
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('saml_grants', (t) => {
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.string('kind', 8).notNullable();
    t.text('value').notNullable();
    t.timestamp('created_at').notNullable().defaultTo(db.fn.now());
    t.primary(['user_id', 'kind', 'value']);
  });
  await db.raw(
    `alter table saml_grants add constraint saml_grants_kind_check check (kind in ('role', 'group'))`,
  );
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('saml_grants');
}
