/**
 * The data set of `npm run bench:reports`, generated in bulk by server-side SQL (generate_series) straight into the
 * LRS tables: 2,000 learners, 50 courses of 3 tracked activities, 20,000 enrolments, 1,000,000 statements; and one
 * heavy learner with 50,000 statements, for the largest timeline and attempts exports.
 */
import type { Db } from '../src/platform/db.js';
import { createUser } from '../src/modules/accounts/index.js';
import { enrolLearners } from '../src/modules/courses/enrolments.repo.js';
import { rebuildProgress } from '../src/modules/progress/index.js';

export const PUBLIC_URL = 'http://localhost:3000';
export const COORDINATOR = { email: 'coordinator@bench.invalid', password: 'bench password 1234' };
export const HEAVY = { email: 'heavy-learner@bench.invalid', statements: 50_000 };
const LEARNERS = 2_000;
const COURSES = 50;
const PER_LEARNER = 10; // enrolments per learner

const secs = (ms: number) => (ms / 1000).toFixed(1) + ' s';
async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const out = await fn();
  process.stdout.write(`  ${label.padEnd(52)} ${secs(performance.now() - t0)}\n`);
  return out;
}

/**
 * Per enrolment (those `where` selects): for each of its 3 modules a SCORM-like session sequence: initialized,
 * answered interactions (children), passed or failed with a score, terminated with a duration, completed;
 * one statement every `step` after the enrolment, give or take `jitter`.
 */
function insertStatements(db: Db, o: { perEnrolment: number; step: string; jitter: string; where: string }) {
  return db.raw(`
      insert into statements (id, actor_key, verb_id, activity_id, registration, authority_key, stored, "timestamp", statement)
      select id, 'account:${PUBLIC_URL} ' || user_id, verb, object_id, registration, 'account:${PUBLIC_URL} bench', ts, ts,
        jsonb_build_object('id', id, 'actor', jsonb_build_object('objectType', 'Agent', 'account', jsonb_build_object('homePage', '${PUBLIC_URL}', 'name', user_id)),
          'verb', jsonb_build_object('id', verb, 'display', jsonb_build_object('en', split_part(verb, '/', 6))),
          'object', jsonb_build_object('objectType', 'Activity', 'id', object_id, 'definition', jsonb_build_object('name', jsonb_build_object('en', title))),
          'context', jsonb_build_object('registration', registration), 'timestamp', ts, 'stored', ts, 'version', '2.0.0',
          'authority', jsonb_build_object('objectType', 'Agent', 'account', jsonb_build_object('homePage', '${PUBLIC_URL}', 'name', 'bench')))
          || case when result is null then '{}'::jsonb else jsonb_build_object('result', result) end
      from (
        select gen_random_uuid() as id, e.user_id::text as user_id, e.registration,
          e.enrolled_at + (s.g * interval '${o.step}') + (random() * interval '${o.jitter}') as ts,
          i.iri || case when s.kind = 'answered' then '/interactions/q' || s.g else '' end as object_id,
          a.title, 'http://adlnet.gov/expapi/verbs/' || s.kind as verb,
          case s.kind
            when 'answered' then jsonb_build_object('success', random() > 0.3, 'response', 'choice-' || (s.g % 4))
            when 'passed' then jsonb_build_object('success', true, 'score', jsonb_build_object('scaled', round((0.7 + random() * 0.3)::numeric, 2)))
            when 'failed' then jsonb_build_object('success', false, 'score', jsonb_build_object('scaled', round((random() * 0.7)::numeric, 2)))
            when 'terminated' then jsonb_build_object('duration', 'PT' || (5 + floor(random() * 40))::int || 'M')
            when 'completed' then jsonb_build_object('completion', true)
          end as result
        from enrolments e
        cross join lateral (
          select g, (g - 1) % 3 + 1 as module,
            case when g > ${o.perEnrolment} - 3 then 'completed'
                 when g % 11 = 1 then 'initialized'
                 when g % 11 = 9 then (case when random() > 0.25 then 'passed' else 'failed' end)
                 when g % 11 = 10 then 'terminated'
                 else 'answered' end as kind
          from generate_series(1, ${o.perEnrolment}) g
          -- about one learner in five has not finished: their last statements are missing
          where not (e.id::text < '3' and g > ${o.perEnrolment} - 6)
        ) s
        join activities a on a.course_id = e.course_id and a.position = s.module
        join course_activity_iris i on i.activity_id = a.id
        ${o.where}
      ) x`);
}

/** The related rows the LRS writes for these statements: agent, activity, verb, registration. */
const relatedRowsSql = (where: string) => `insert into statement_related (seq, kind, ident, stored)
  select seq, k.kind, k.ident, stored from statements
  cross join lateral (values (1::smallint, actor_key), (3::smallint, activity_id), (5::smallint, verb_id),
    (6::smallint, registration::text)) k(kind, ident) ${where}`;

/** Generates the data set (users, courses, enrolments, statements) and builds the projections. */
export async function generate(db: Db, statements: number): Promise<{ email: string }> {
  const perEnrolment = Math.ceil(statements / (LEARNERS * PER_LEARNER));

  const coordinator = await createUser(db, {
    ...COORDINATOR,
    name: 'Bench Coordinator',
    roles: ['coordinator'],
  });
  await timed('learners, trainers, courses, activities, IRIs', async () => {
    await db.raw(`insert into users (email, name, language)
      select 'learner' || g || '@bench.invalid', 'Learner ' || lpad(g::text, 4, '0'), 'en' from generate_series(1, ${LEARNERS}) g`);
    await db.raw(
      `insert into users (email, name) select 'trainer' || g || '@bench.invalid', 'Trainer ' || g from generate_series(1, 10) g`,
    );
    await db.raw(`insert into user_roles (user_id, role) select id, case when email like 'trainer%' then 'trainer' else 'learner' end
      from users where email like '%@bench.invalid' and email <> 'coordinator@bench.invalid'`);
    await db.raw(`insert into courses (slug, title, language, owner_id, status, visibility, self_enrol, published_at)
      select 'bench-course-' || g, 'Bench course ' || g, 'en',
        (select id from users where email = 'trainer' || (1 + g % 10) || '@bench.invalid'), 'published', 'members', true, now()
      from generate_series(1, ${COURSES}) g`);
    await db.raw(`insert into activities (course_id, kind, title, position)
      select c.id, 'scorm', 'Module ' || p, p from courses c cross join generate_series(1, 3) p`);
    await db.raw(`insert into course_activity_iris (activity_id, iri, title)
      select a.id, '${PUBLIC_URL}/xapi/activities/scorm/' || a.id, a.title from activities a`);
  });
  await timed(`${(LEARNERS * PER_LEARNER).toLocaleString('en')} enrolments`, () =>
    db.raw(`insert into enrolments (course_id, user_id, registration, status, enrolled_at)
      select c.id, u.id, gen_random_uuid(), 'active', now() - interval '200 days' + (random() * interval '20 days')
      from (select id, row_number() over (order by email) as n from users where email like 'learner%') u
      cross join generate_series(0, ${PER_LEARNER - 1}) k
      join (select id, row_number() over (order by slug) - 1 as n from courses) c on c.n = (u.n * 7 + k * 5) % ${COURSES}`),
  );
  await timed(`${statements.toLocaleString('en')} statements (generate_series)`, () =>
    insertStatements(db, { perEnrolment, step: '3 hours', jitter: '2 hours', where: '' }),
  );
  // bulk load: the related table's indexes (whichever the migrations made) are dropped and built again
  // afterwards, as a restore would
  await timed('statement_related (agent, activity, verb, registration)', async () => {
    const indexes = (
      (await db.raw(`select i.indexname as name, i.indexdef as def, c.contype = 'p' as primary
        from pg_indexes i left join pg_constraint c on c.conname = i.indexname
        where i.schemaname = current_schema() and i.tablename = 'statement_related'`)) as {
        rows: { name: string; def: string; primary: boolean }[];
      }
    ).rows;
    for (const i of indexes)
      await db.raw(
        i.primary ? `alter table statement_related drop constraint ${i.name}` : `drop index ${i.name}`,
      );
    await db.raw(relatedRowsSql(''));
    for (const i of indexes) {
      await db.raw(i.def);
      if (i.primary)
        await db.raw(
          `alter table statement_related add constraint ${i.name} primary key using index ${i.name}`,
        );
    }
  });
  await timed('analyze', () => db.raw('analyze'));
  await timed('rebuildProgress() (all projections from the statements)', () => rebuildProgress(db));
  await timed('analyze', () => db.raw('analyze'));
  return coordinator;
}

/**
 * The heavy learner (made once; a database generated before it existed gets it on --reuse): enrolled in the
 * first course, HEAVY.statements statements a minute apart, their related rows and projection.
 */
export async function heavyLearner(
  db: Db,
): Promise<{ courseId: string; userId: string; statements: number }> {
  const found = (await db('users as u')
    .join('enrolments as e', 'e.user_id', 'u.id')
    .where('u.email', HEAVY.email)
    .first('u.id as userId', 'e.course_id as courseId', 'e.registration')) as
    { userId: string; courseId: string; registration: string } | undefined;
  const count = async (registration: string) =>
    Number(((await db('statements').where({ registration }).count({ n: '*' })) as [{ n: string }])[0].n);
  if (found)
    return { courseId: found.courseId, userId: found.userId, statements: await count(found.registration) };
  return timed(
    `heavy learner: ${HEAVY.statements.toLocaleString('en')} statements, related rows, projection`,
    async () => {
      const user = await createUser(db, {
        email: HEAVY.email,
        name: 'Heavy Learner',
        password: COORDINATOR.password,
        roles: ['learner'],
      });
      const course = (await db('courses').orderBy('slug').first('id')) as { id: string };
      await enrolLearners(db, course.id, [user.id], null);
      const e = (await db('enrolments')
        .where({ course_id: course.id, user_id: user.id })
        .first('id', 'registration')) as {
        id: string;
        registration: string;
      };
      await db.raw(`update enrolments set enrolled_at = now() - interval '40 days' where id = ?`, [e.id]);
      await insertStatements(db, {
        perEnrolment: HEAVY.statements,
        step: '1 minute',
        jitter: '30 seconds',
        where: `where e.id = '${e.id}'`,
      });
      await db.raw(relatedRowsSql('where registration = ?'), [e.registration]);
      await rebuildProgress(db, { registration: e.registration });
      await db.raw('analyze statements');
      await db.raw('analyze statement_related');
      return { courseId: course.id, userId: user.id, statements: await count(e.registration) };
    },
  );
}
