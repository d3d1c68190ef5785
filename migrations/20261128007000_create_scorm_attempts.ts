import type { Knex } from 'knex';

// A learner's attempt at a SCORM package (per registration and package): it keeps the package version it
// started on, the SCORM 2004 sequencing state (activity tree, global objectives, shared data) and how it ended.
// Previews have a registration of their own that is no enrolment's.
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('scorm_attempts', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.uuid('registration').notNullable();
    t.uuid('enrolment_id').references('enrolments.id').onDelete('CASCADE');
    t.uuid('activity_id').references('activities.id').onDelete('CASCADE');
    t.uuid('package_id').notNullable().references('packages.id').onDelete('CASCADE');
    t.integer('package_version').notNullable();
    t.integer('number').notNullable();
    t.boolean('preview').notNullable().defaultTo(false);
    t.string('status', 16).notNullable().defaultTo('active');
    t.text('current_sco');
    t.jsonb('sequencing');
    t.integer('seq_session').notNullable().defaultTo(0);
    t.integer('seq_q').notNullable().defaultTo(0);
    t.integer('sessions').notNullable().defaultTo(0);
    t.timestamp('completed_at', { useTz: true });
    t.timestamp('ended_at', { useTz: true });
    t.timestamps(true, true);
    t.unique(['registration', 'package_id', 'number']);
    t.index(['user_id']);
  });
  await db.raw(
    `alter table scorm_attempts add constraint scorm_attempts_status_check check (status in ('active', 'suspended', 'ended'))`,
  );
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('scorm_attempts');
}
