import type { Knex } from 'knex';

// LRS credentials (HTTP Basic): clients admins create, and short-lived launch credentials the platform mints.
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('lrs_clients', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    t.string('kind', 16).notNullable().defaultTo('client');
    t.text('name').notNullable();
    t.string('key', 64).notNullable().unique();
    // SHA-256 of a 32-byte random secret: a slow hash would add nothing and cost every request.
    t.binary('secret_hash').notNullable();
    t.jsonb('scopes').notNullable();
    t.jsonb('authority').notNullable();
    // Launch credentials only: { actor, registration, activityId? }.
    t.jsonb('launch');
    t.timestamp('expires_at');
    t.boolean('enabled').notNullable().defaultTo(true);
    t.uuid('created_by').references('users.id').onDelete('SET NULL');
    t.timestamps(true, true);
    t.index(['kind', 'created_at']);
    t.index(['expires_at']);
  });
  await db.raw(
    `alter table lrs_clients add constraint lrs_clients_kind_check check (kind in ('client', 'launch'))`,
  );
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('lrs_clients');
}
