import type { Knex } from 'knex';

// Files uploaded into an authored course (images, documents, videos), checked by their content.
// Never changed once stored: published versions keep pointing at them.
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('authored_files', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    t.uuid('authored_course_id').notNullable().references('authored_courses.id').onDelete('CASCADE');
    t.string('kind', 16).notNullable();
    t.text('name').notNullable();
    t.string('media_type', 100).notNullable();
    t.bigInteger('size').notNullable();
    t.string('sha256', 64).notNullable();
    t.text('storage_key').notNullable();
    t.uuid('uploaded_by').references('users.id').onDelete('SET NULL');
    t.timestamps(true, true);
    t.index(['authored_course_id']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('authored_files');
}
