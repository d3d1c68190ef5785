import type { Knex } from 'knex';

// One opening of an H5P activity: a short-lived token (stored hashed) lets the player on the content origin
// post the learner's statements and state for this activity and registration, without the session.
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('h5p_launches', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    t.string('token_hash', 64).notNullable().unique();
    t.uuid('activity_id').notNullable().references('activities.id').onDelete('CASCADE');
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    // The enrolment's registration, or a fresh one for a preview without enrolment.
    t.uuid('registration').notNullable();
    t.boolean('preview').notNullable().defaultTo(false);
    t.uuid('package_id').notNullable().references('packages.id').onDelete('CASCADE');
    // The attempt keeps the version it started on: later launches of the registration reuse it.
    t.integer('package_version').notNullable();
    t.string('language', 8).notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.index(['activity_id', 'registration', 'created_at']);
    t.index(['expires_at']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('h5p_launches');
}
