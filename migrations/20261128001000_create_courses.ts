import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('courses', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    t.text('slug').notNullable().unique();
    t.text('title').notNullable();
    t.text('description').notNullable().defaultTo('');
    t.string('language', 8).notNullable();
    t.uuid('owner_id').notNullable().references('users.id').onDelete('RESTRICT');
    t.string('status', 16).notNullable().defaultTo('draft');
    t.string('visibility', 16).notNullable().defaultTo('members');
    t.boolean('self_enrol').notNullable().defaultTo(false);
    t.timestamp('published_at');
    t.timestamps(true, true);
    t.index(['owner_id']);
    t.index(['status', 'language']);
  });
  await db.raw(
    `alter table courses add constraint courses_slug_check check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$')`,
  );
  await db.raw(
    `alter table courses add constraint courses_language_check check (language in ('en', 'de', 'fr', 'nl'))`,
  );
  await db.raw(
    `alter table courses add constraint courses_status_check check (status in ('draft', 'published', 'archived'))`,
  );
  await db.raw(
    `alter table courses add constraint courses_visibility_check check (visibility in ('members', 'public'))`,
  );
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('courses');
}
