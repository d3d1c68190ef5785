import type { Knex } from 'knex';

// The xAPI activity ids (IRIs) that each course activity tracks: one per SCO, H5P content or authored course.
// A statement belongs to the item whose IRI is its object id, or the longest IRI its object id starts with.
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('course_activity_iris', (t) => {
    t.uuid('activity_id').notNullable().references('activities.id').onDelete('CASCADE');
    t.text('iri').notNullable();
    t.text('title');
    t.timestamp('created_at').notNullable().defaultTo(db.fn.now());
    t.primary(['activity_id', 'iri']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('course_activity_iris');
}
