import type { Knex } from 'knex';

// A member's course in the editor: its details and draft. `course_id` is the platform course that
// publishing creates; `published_version` the newest frozen version learners take.
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('authored_courses', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    t.uuid('owner_id').notNullable().references('users.id').onDelete('RESTRICT');
    t.text('title').notNullable();
    t.text('description').notNullable().defaultTo('');
    t.string('language', 8).notNullable();
    t.string('licence', 32).notNullable().defaultTo('all-rights-reserved');
    t.text('attribution').notNullable().defaultTo('');
    t.string('visibility', 16).notNullable().defaultTo('members');
    t.uuid('cover_file_id');
    t.uuid('course_id').unique().references('courses.id').onDelete('SET NULL');
    t.integer('published_version');
    t.timestamps(true, true);
    t.index(['owner_id']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('authored_courses');
}
