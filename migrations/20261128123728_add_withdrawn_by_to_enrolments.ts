import type { Knex } from 'knex';

// Who withdrew an enrolment: a learner withdrawn by a coordinator may not enrol themselves again. Enrolments
// withdrawn before this column were all withdrawn by coordinators or admins, so null counts as someone else.
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('enrolments', (t) => {
    t.uuid('withdrawn_by').references('users.id').onDelete('SET NULL');
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('enrolments', (t) => {
    t.dropColumn('withdrawn_by');
  });
}
