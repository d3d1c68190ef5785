import type { Knex } from 'knex';

// The draft's blocks, in order inside their lesson; `data` holds the kind's fields (checked by zod).
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('authored_blocks', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    t.uuid('authored_course_id').notNullable().references('authored_courses.id').onDelete('CASCADE');
    t.uuid('lesson_id').notNullable().references('authored_lessons.id').onDelete('CASCADE');
    t.string('kind', 16).notNullable();
    t.integer('position').notNullable();
    t.jsonb('data').notNullable().defaultTo('{}');
    t.timestamps(true, true);
    t.index(['lesson_id', 'position']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('authored_blocks');
}
