import type { Knex } from 'knex';

// Users who are not admins but may bring new H5P libraries with the packages they upload (admins always may).
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('h5p_library_installers', (t) => {
    t.uuid('user_id').primary().references('users.id').onDelete('CASCADE');
    t.uuid('granted_by').references('users.id').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('h5p_library_installers');
}
