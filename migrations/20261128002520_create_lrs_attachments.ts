import type { Knex } from 'knex';

// Attachment data of statements, stored once per SHA-2 hash (statements refer to it by `sha2`).
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('lrs_attachments', (t) => {
    t.text('sha2').primary();
    t.text('content_type').notNullable();
    t.bigInteger('length').notNullable();
    t.binary('content').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('lrs_attachments');
}
