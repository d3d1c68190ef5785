import type { Knex } from 'knex';

// What the forwarding worker last did, shown on the admin page (one row per event kind).
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('lrs_forward_log', (t) => {
    t.bigIncrements('id');
    t.text('outcome').notNullable(); // 'sent' | 'failed'
    t.integer('statements').notNullable().defaultTo(0);
    t.text('error');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.index(['created_at']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('lrs_forward_log');
}
