import type { Knex } from 'knex';

// The content of `page` activities: text written in Markdown.
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('pages', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    t.uuid('course_id').notNullable().references('courses.id').onDelete('CASCADE');
    t.text('body').notNullable().defaultTo('');
    t.timestamps(true, true);
    t.index(['course_id']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('pages');
}
