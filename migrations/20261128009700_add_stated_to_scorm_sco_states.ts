import type { Knex } from 'knex';

// The statuses (completed, passed / failed) already stated as statements in the SCO's current attempt, so
// that the commit and the sequencer's tracking, which may arrive in either order, state each one once.
export async function up(db: Knex): Promise<void> {
  await db.raw(`alter table scorm_sco_states add column stated jsonb not null default '{}'::jsonb`);
}

export async function down(db: Knex): Promise<void> {
  await db.raw('alter table scorm_sco_states drop column stated');
}
