import type { Knex } from 'knex';

// How a learner completes a course (and earns its certificate); a course without a row uses `completed`.
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('course_completion_rules', (t) => {
    t.uuid('course_id').primary().references('courses.id').onDelete('CASCADE');
    t.string('rule', 16).notNullable().defaultTo('completed');
    t.double('min_score');
    t.double('hours');
    t.uuid('updated_by').references('users.id').onDelete('SET NULL');
    t.timestamps(true, true);
  });
  await db.raw(
    `alter table course_completion_rules add constraint course_completion_rules_rule_check check (rule in ('completed', 'passed', 'min_score'))`,
  );
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('course_completion_rules');
}
