import type { Knex } from 'knex';

// Published versions: immutable JSON snapshots of the draft, numbered 1, 2, … per course.
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('authored_versions', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    t.uuid('authored_course_id').notNullable().references('authored_courses.id').onDelete('CASCADE');
    t.integer('version').notNullable();
    t.jsonb('snapshot').notNullable();
    t.uuid('published_by').references('users.id').onDelete('SET NULL');
    t.timestamp('published_at').notNullable().defaultTo(db.fn.now());
    t.unique(['authored_course_id', 'version']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('authored_versions');
}
