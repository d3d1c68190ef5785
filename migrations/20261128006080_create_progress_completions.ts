import type { Knex } from 'knex';

// When an enrolment first met its course's completion rule. Written once (never by a rebuild), so that
// meeting the rule marks the enrolment completed and issues its certificate exactly once.
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('progress_completions', (t) => {
    t.uuid('enrolment_id').primary().references('enrolments.id').onDelete('CASCADE');
    t.string('rule', 16).notNullable();
    t.timestamp('met_at').notNullable().defaultTo(db.fn.now());
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('progress_completions');
}
