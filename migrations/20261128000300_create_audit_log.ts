import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('audit_events', (t) => {
    t.bigIncrements('id');
    t.string('event', 64).notNullable();
    t.uuid('actor_id').references('users.id').onDelete('SET NULL');
    t.uuid('subject_user_id').references('users.id').onDelete('SET NULL');
    t.text('ip');
    t.jsonb('details').notNullable().defaultTo('{}');
    t.timestamp('created_at').notNullable().defaultTo(db.fn.now());
    t.index(['created_at']);
    t.index(['event', 'created_at']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('audit_events');
}
