import type { Knex } from 'knex';

// The CMI data of one SCO in an attempt, kept whole as the SCO last committed it, with the (session, seq)
// of that commit. completion and success are the best ever reached and never go backwards.
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('scorm_sco_states', (t) => {
    t.uuid('attempt_id').notNullable().references('scorm_attempts.id').onDelete('CASCADE');
    t.text('sco_id').notNullable();
    t.integer('sco_attempt').notNullable().defaultTo(1);
    t.jsonb('cmi').notNullable().defaultTo('{}');
    t.integer('last_session').notNullable().defaultTo(0);
    t.integer('last_q').notNullable().defaultTo(0);
    t.boolean('initialized').notNullable().defaultTo(false);
    t.boolean('terminated').notNullable().defaultTo(false);
    t.string('completion', 16).notNullable().defaultTo('unknown');
    t.string('success', 16).notNullable().defaultTo('unknown');
    t.double('score_scaled');
    t.integer('launches').notNullable().defaultTo(0);
    t.timestamps(true, true);
    t.primary(['attempt_id', 'sco_id']);
  });
  await db.raw(
    `alter table scorm_sco_states add constraint scorm_sco_states_status_check check (completion in ('unknown', 'incomplete', 'completed') and success in ('unknown', 'failed', 'passed'))`,
  );
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('scorm_sco_states');
}
