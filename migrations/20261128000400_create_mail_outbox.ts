import type { Knex } from 'knex';

// Every mail is kept here; with no SMTP server configured, admins read them in the platform.
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('mail_outbox', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    t.text('to_address').notNullable();
    t.text('subject').notNullable();
    t.text('body').notNullable();
    t.string('status', 16).notNullable().defaultTo('kept');
    t.text('error');
    t.timestamps(true, true);
    t.index(['created_at']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('mail_outbox');
}
