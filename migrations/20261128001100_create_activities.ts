import type { Knex } from 'knex';

// An ordered step of a course. `kind` names the content type (page now; scorm, h5p, cmi5, authored later)
// and `content_ref` points at that content in the kind's own tables, so new kinds need no change here.
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('activities', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    t.uuid('course_id').notNullable().references('courses.id').onDelete('CASCADE');
    t.string('kind', 32).notNullable();
    t.text('title').notNullable();
    t.integer('position').notNullable();
    t.jsonb('content_ref').notNullable().defaultTo('{}');
    t.timestamps(true, true);
  });
  // Deferred so that two activities can swap places inside one transaction.
  await db.raw(
    `alter table activities add constraint activities_course_position_unique unique (course_id, position) deferrable initially deferred`,
  );
  await db.raw(`alter table activities add constraint activities_kind_check check (kind ~ '^[a-z0-9]+$')`);
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('activities');
}
