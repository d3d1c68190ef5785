import type { Knex } from 'knex';

// One row: what an admin set on /admin/saml, and the service provider's own key pair when none is configured.
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('saml_settings', (t) => {
    t.smallint('id').primary();
    t.text('idp_metadata');
    t.text('idp_name');
    t.jsonb('group_map');
    t.text('sp_private_key');
    t.text('sp_certificate');
    t.uuid('updated_by').references('users.id').onDelete('SET NULL');
    t.timestamps(true, true);
  });
  await db.raw('alter table saml_settings add constraint saml_settings_single_row check (id = 1)');
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('saml_settings');
}
