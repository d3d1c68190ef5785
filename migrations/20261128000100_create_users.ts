import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('users', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    t.text('email').notNullable();
    t.text('name').notNullable();
    // Null for users who sign in only through an external identity, or have not accepted their invitation.
    t.text('password_hash');
    t.timestamp('password_changed_at');
    t.string('language', 8);
    t.string('status', 16).notNullable().defaultTo('active');
    t.timestamps(true, true);
  });
  await db.raw('create unique index users_email_unique on users (lower(email))');
  await db.raw(
    `alter table users add constraint users_status_check check (status in ('active', 'invited', 'disabled'))`,
  );

  await db.schema.createTable('user_roles', (t) => {
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.string('role', 16).notNullable();
    t.primary(['user_id', 'role']);
    t.index(['role']);
  });
  await db.raw(
    `alter table user_roles add constraint user_roles_role_check check (role in ('learner', 'trainer', 'coordinator', 'admin'))`,
  );

  // An identity at an external provider (SAML later) linked to a user.
  await db.schema.createTable('external_identities', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.string('provider', 64).notNullable();
    t.text('subject').notNullable();
    t.timestamps(true, true);
    t.unique(['provider', 'subject']);
    t.index(['user_id']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('external_identities');
  await db.schema.dropTable('user_roles');
  await db.schema.dropTable('users');
}
