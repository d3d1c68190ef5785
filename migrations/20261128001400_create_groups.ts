import type { Knex } from 'knex';

// Working groups and cohorts of members, looked after by a coordinator.
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('groups', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    t.string('kind', 16).notNullable();
    t.text('name').notNullable();
    t.text('description').notNullable().defaultTo('');
    t.uuid('managed_by').references('users.id').onDelete('SET NULL');
    t.timestamps(true, true);
  });
  await db.raw('create unique index groups_name_unique on groups (lower(name))');
  await db.raw(
    `alter table groups add constraint groups_kind_check check (kind in ('working_group', 'cohort'))`,
  );
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('groups');
}
