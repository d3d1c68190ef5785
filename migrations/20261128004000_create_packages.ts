import type { Knex } from 'knex';

// An uploaded content package (SCORM, cmi5, H5P). Title, description and language come from the manifest
// and can be edited; the files and the manifest of each upload are in package_versions.
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('packages', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    t.string('format', 16).notNullable();
    t.text('title').notNullable();
    t.text('description').notNullable().defaultTo('');
    t.string('language', 35);
    t.uuid('owner_id').notNullable().references('users.id').onDelete('RESTRICT');
    t.string('status', 16).notNullable().defaultTo('ready');
    t.integer('latest_version').notNullable().defaultTo(1);
    t.timestamps(true, true);
    t.index(['owner_id']);
  });
  await db.raw(`alter table packages add constraint packages_format_check check (format ~ '^[a-z0-9]+$')`);
  await db.raw(
    `alter table packages add constraint packages_status_check check (status in ('ready', 'archived'))`,
  );
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('packages');
}
