import type { Knex } from 'knex';

// The sequencer's tracking of a SCO that arrived before the SCO's own commit it follows (beacons of a closing
// page may arrive in any order): held until that commit is stored, then weighed against what the SCO reported.
export async function up(db: Knex): Promise<void> {
  await db.raw('alter table scorm_sco_states add column held_tracking jsonb');
}

export async function down(db: Knex): Promise<void> {
  await db.raw('alter table scorm_sco_states drop column held_tracking');
}
