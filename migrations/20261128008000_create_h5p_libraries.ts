import type { Knex } from 'knex';

// H5P libraries, installed once per machine name and major.minor version and shared by all H5P content.
// A newer patch version replaces the row (and its files at `storage_key`) for every content that uses it.
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('h5p_libraries', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    t.string('machine_name', 255).notNullable();
    t.integer('major_version').notNullable();
    t.integer('minor_version').notNullable();
    t.integer('patch_version').notNullable();
    t.text('title').notNullable().defaultTo('');
    t.boolean('runnable').notNullable().defaultTo(false);
    // Where the files are in the package file storage: `h5p-libraries/<Machine.Name-M.m>/<patch>-<random>`.
    t.text('storage_key').notNullable();
    // library.json as read at installation.
    t.jsonb('definition').notNullable();
    t.uuid('installed_by').references('users.id').onDelete('SET NULL');
    t.timestamps(true, true);
    t.unique(['machine_name', 'major_version', 'minor_version']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('h5p_libraries');
}
