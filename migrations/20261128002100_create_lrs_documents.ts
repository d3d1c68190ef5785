import type { Knex } from 'knex';

// The State, Activity Profile and Agent Profile resources: documents kept byte-exact with their content type.
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('lrs_documents', (t) => {
    t.bigIncrements('id');
    t.string('kind', 24).notNullable();
    // '' where the resource has no such part (no activity for agent profiles, no agent for activity profiles).
    t.text('activity_id').notNullable().defaultTo('');
    t.text('agent_key').notNullable().defaultTo('');
    t.text('registration').notNullable().defaultTo('');
    t.text('doc_id').notNullable();
    t.binary('content').notNullable();
    t.text('content_type').notNullable();
    t.string('etag', 40).notNullable();
    t.timestamps(true, true);
    t.unique(['kind', 'activity_id', 'agent_key', 'registration', 'doc_id'], {
      indexName: 'lrs_documents_address_unique',
    });
  });
  await db.raw(
    `alter table lrs_documents add constraint lrs_documents_kind_check check (kind in ('state', 'activity_profile', 'agent_profile'))`,
  );
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('lrs_documents');
}
