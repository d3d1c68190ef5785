import type { Knex } from 'knex';

// The draft's lessons, in order inside their section.
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('authored_lessons', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    t.uuid('authored_course_id').notNullable().references('authored_courses.id').onDelete('CASCADE');
    t.uuid('section_id').notNullable().references('authored_sections.id').onDelete('CASCADE');
    t.text('title').notNullable();
    t.integer('position').notNullable();
    t.timestamps(true, true);
    t.index(['section_id', 'position']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('authored_lessons');
}
