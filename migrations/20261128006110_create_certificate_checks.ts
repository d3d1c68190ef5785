import type { Knex } from 'knex';

// Verification requests per client address and minute: a rate limit that holds across processes.
export async function up(db: Knex): Promise<void> {
  await db.raw(`
    create table certificate_checks (
      ip text not null,
      window_start timestamptz not null,
      hits integer not null,
      primary key (ip, window_start)
    )`);
  await db.raw('create index certificate_checks_window_idx on certificate_checks (window_start)');
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('certificate_checks');
}
