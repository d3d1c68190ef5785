import type { Knex } from 'knex';

// One upload of a package. Versions are kept: an attempt stays on the version it started with.
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('package_versions', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    t.uuid('package_id').notNullable().references('packages.id').onDelete('CASCADE');
    t.integer('version').notNullable();
    // Where the files are in the file storage: `<packageId>/<version>`.
    t.text('storage_key').notNullable();
    t.string('format_version', 32).notNullable();
    t.jsonb('manifest').notNullable();
    t.jsonb('report').notNullable();
    t.text('file_name').notNullable();
    t.bigInteger('size_bytes').notNullable();
    t.bigInteger('unpacked_bytes').notNullable();
    t.integer('file_count').notNullable();
    t.string('sha256', 64).notNullable();
    t.uuid('uploaded_by').references('users.id').onDelete('SET NULL');
    t.timestamps(true, true);
    t.unique(['package_id', 'version']);
  });
  await db.raw(
    `alter table package_versions add constraint package_versions_version_check check (version >= 1)`,
  );
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('package_versions');
}
