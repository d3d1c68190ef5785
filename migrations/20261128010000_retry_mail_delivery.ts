import type { Knex } from 'knex';

// Mail is sent from the outbox by a delivery loop, retried with back-off, so a slow or absent mail server
// never holds up a page and a failed mail is tried again.
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('mail_outbox', (t) => {
    t.integer('attempts').notNullable().defaultTo(0);
    t.timestamp('next_attempt_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.timestamp('sent_at', { useTz: true });
  });
  await db.raw(`create index mail_outbox_due_idx on mail_outbox (next_attempt_at) where status = 'queued'`);
}

export async function down(db: Knex): Promise<void> {
  await db.raw('drop index mail_outbox_due_idx');
  await db.schema.alterTable('mail_outbox', (t) => {
    t.dropColumn('attempts');
    t.dropColumn('next_attempt_at');
    t.dropColumn('sent_at');
  });
}
