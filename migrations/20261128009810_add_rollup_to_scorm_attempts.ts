import type { Knex } from 'knex';

// SCORM 2004: the sequencer's rollup of the whole package (its root activity) per attempt, as stated about the
// course activity: completion and success, each only moving forward.
export async function up(db: Knex): Promise<void> {
  await db.raw(`alter table scorm_attempts
    add column root_completion text not null default 'unknown'
      check (root_completion in ('unknown', 'incomplete', 'completed')),
    add column root_success text not null default 'unknown'
      check (root_success in ('unknown', 'failed', 'passed'))`);
}

export async function down(db: Knex): Promise<void> {
  await db.raw('alter table scorm_attempts drop column root_completion, drop column root_success');
}
