/**
 * `npm run bench:reports [-- --statements N]`: the reports' speed at the size of a real cooperative:
 * 2,000 learners, 50 courses (3 tracked activities each), 20,000 enrolments and 1,000,000 statements,
 * generated in bulk by server-side SQL (generate_series) straight into the LRS tables on the PostgreSQL
 * server of DATABASE_URL (a throw-away database: a name ending in "bench" is used, any other gets
 * "<name>_reportsbench"; it is dropped and created anew). The projections are then built by
 * rebuildProgress(), and the app answers real HTTP requests of a signed-in coordinator on loopback.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import knexFactory from 'knex';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/platform/config.js';
import { openDatabase } from '../src/platform/db.js';
import { migrateLatest } from '../src/platform/migrate.js';
import { createUser } from '../src/modules/accounts/index.js';
import { rebuildProgress } from '../src/modules/progress/index.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const LEARNERS = 2_000;
const COURSES = 50;
const PER_LEARNER = 10; // enrolments per learner
const STATEMENTS = arg('statements', 1_000_000);
const RUNS = arg('runs', 40);
const PUBLIC_URL = 'http://localhost:3000';

const baseUrl = loadConfig().databaseUrl;
if (!baseUrl) {
  process.stderr.write('Set DATABASE_URL to a PostgreSQL server (a throw-away database is created beside it).\n');
  process.exit(2);
}
const benchUrl = (() => {
  const u = new URL(baseUrl);
  const name = (u.pathname.slice(1) || 'postgres').replace(/[^a-z0-9_]/gi, '_');
  u.pathname = `/${name.endsWith('bench') ? name : `${name}_reportsbench`}`;
  return u.toString();
})();

async function recreateDatabase(): Promise<void> {
  const admin = new URL(benchUrl);
  const name = admin.pathname.slice(1);
  admin.pathname = '/postgres';
  const k = knexFactory({ client: 'pg', connection: admin.toString(), pool: { min: 0, max: 1 } });
  await k.raw(`drop database if exists ${name} with (force)`);
  await k.raw(`create database ${name}`);
  await k.destroy();
}

const secs = (ms: number) => (ms / 1000).toFixed(1) + ' s';
async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const out = await fn();
  process.stdout.write(`  ${label.padEnd(52)} ${secs(performance.now() - t0)}\n`);
  return out;
}

async function main(): Promise<void> {
  process.stdout.write(`bench:reports on ${new URL(benchUrl).pathname.slice(1)} (${STATEMENTS.toLocaleString('en')} statements)\n`);
  await recreateDatabase();
  const database = await openDatabase({ databaseUrl: benchUrl });
  const { db } = database;
  await migrateLatest(db);
  const perEnrolment = Math.ceil(STATEMENTS / (LEARNERS * PER_LEARNER));

  const coordinator = await createUser(db, {
    email: 'coordinator@bench.invalid',
    name: 'Bench Coordinator',
    password: 'bench password 1234',
    roles: ['coordinator'],
  });
  await timed('learners, trainers, courses, activities, IRIs', async () => {
    await db.raw(`insert into users (email, name, language)
      select 'learner' || g || '@bench.invalid', 'Learner ' || lpad(g::text, 4, '0'), 'en' from generate_series(1, ${LEARNERS}) g`);
    await db.raw(`insert into users (email, name) select 'trainer' || g || '@bench.invalid', 'Trainer ' || g from generate_series(1, 10) g`);
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
  // Per enrolment: for each of its 3 modules a SCORM-like session sequence: initialized, answered
  // interactions (children), passed or failed with a score, terminated with a duration, completed.
  await timed(`${STATEMENTS.toLocaleString('en')} statements (generate_series)`, () =>
    db.raw(`
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
          e.enrolled_at + (s.g * interval '3 hours') + (random() * interval '2 hours') as ts,
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
            case when g > ${perEnrolment} - 3 then 'completed'
                 when g % 11 = 1 then 'initialized'
                 when g % 11 = 9 then (case when random() > 0.25 then 'passed' else 'failed' end)
                 when g % 11 = 10 then 'terminated'
                 else 'answered' end as kind
          from generate_series(1, ${perEnrolment}) g
          -- about one learner in five has not finished: their last statements are missing
          where not (e.id::text < '3' and g > ${perEnrolment} - 6)
        ) s
        join activities a on a.course_id = e.course_id and a.position = s.module
        join course_activity_iris i on i.activity_id = a.id
      ) x`),
  );
  const [{ n: total }] = (await db('statements').count({ n: '*' })) as unknown as [{ n: string }];
  // bulk load: the related table's indexes are dropped and built again afterwards (as a restore would)
  await timed('statement_related (agent, activity, verb, registration)', async () => {
    await db.raw('alter table statement_related drop constraint statement_related_pkey');
    await db.raw('drop index statement_related_lookup_idx');
    await db.raw(`insert into statement_related (seq, kind, ident, stored)
      select seq, k.kind, k.ident, stored from statements
      cross join lateral (values (1::smallint, actor_key), (3::smallint, activity_id), (5::smallint, verb_id), (6::smallint, registration::text)) k(kind, ident)`);
    await db.raw('alter table statement_related add primary key (seq, kind, ident)');
    await db.raw('create index statement_related_lookup_idx on statement_related (ident, kind, stored desc, seq desc)');
  });
  await timed('analyze', () => db.raw('analyze'));
  await timed('rebuildProgress() (all projections from the statements)', () => rebuildProgress(db));
  const counts = (await db.raw(`select (select count(*) from progress_enrolments) as pe, (select count(*) from progress_items) as pi,
    (select count(*) from progress_days) as pd`)) as { rows: { pe: string; pi: string; pd: string }[] };
  process.stdout.write(`  ${Number(total).toLocaleString('en')} statements; projections: ${counts.rows[0]!.pe} enrolments, ${counts.rows[0]!.pi} items, ${counts.rows[0]!.pd} learner-days\n\n`);

  // The app, answering a signed-in coordinator over HTTP
  const config = { ...loadConfig(), databaseUrl: benchUrl, publicUrl: PUBLIC_URL, logLevel: 'silent', seedDemo: false };
  const { app } = await createApp({ config, db });
  const server = http.createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const cookies = new Map<string, string>();
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [k, v] = pair!.split('=');
      cookies.set(k!, v!);
    }
  };
  const cookie = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const get = async (path: string) => {
    const res = await fetch(base + path, { headers: { cookie: cookie() }, redirect: 'manual' });
    keep(res);
    return res;
  };
  const form = await (await get('/signin')).text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form)![1]!;
  const signin = await fetch(base + '/signin', {
    method: 'POST',
    headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email: coordinator.email, password: 'bench password 1234', _csrf: csrf }),
    redirect: 'manual',
  });
  keep(signin);
  if (signin.status !== 303) throw new Error(`sign-in failed: ${signin.status}`);

  const courses = (await db('courses').orderBy('slug').select('id')) as { id: string }[];
  const enrolments = (await db('enrolments').orderByRaw('random()').limit(RUNS * 2).select('course_id', 'user_id')) as {
    course_id: string;
    user_id: string;
  }[];
  const pick = <T>(list: T[], i: number) => list[i % list.length]!;
  const sorts = ['name', 'score', 'last', 'status', 'time'];

  interface Row {
    what: string;
    p50: number;
    p95: number;
    max: number;
    bytes: number;
    rssMb: number;
  }
  const rows: Row[] = [];
  async function measure(what: string, url: (i: number) => string): Promise<void> {
    for (let i = 0; i < 3; i++) await (await get(url(i + 1000))).arrayBuffer(); // warm-up
    const times: number[] = [];
    let bytes = 0;
    let peak = process.memoryUsage().rss;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      const res = await get(url(i));
      if (res.status !== 200) throw new Error(`${url(i)} answered ${res.status}`);
      bytes = Math.max(bytes, (await res.arrayBuffer()).byteLength);
      times.push(performance.now() - t0);
    }
    clearInterval(sampler);
    times.sort((a, b) => a - b);
    const q = (p: number) => times[Math.min(times.length - 1, Math.ceil(p * times.length) - 1)]!;
    rows.push({ what, p50: q(0.5), p95: q(0.95), max: times.at(-1)!, bytes, rssMb: peak / 2 ** 20 });
  }

  await measure('course report (page 1, sorted)', (i) => `/reports/courses/${pick(courses, i).id}?sort=${pick(sorts, i)}&dir=${i % 2 ? 'asc' : 'desc'}`);
  await measure('course report, filtered by dates', (i) => `/reports/courses/${pick(courses, i).id}?from=2026-01-01&to=2026-12-31`);
  await measure('learner drill-down (status, attempts, timeline)', (i) => {
    const e = pick(enrolments, i);
    return `/reports/courses/${e.course_id}/learners/${e.user_id}`;
  });
  await measure('learner across courses', (i) => `/reports/learners/${pick(enrolments, i).user_id}`);
  await measure('reports index (50 courses)', () => '/reports');
  await measure('export: course learners CSV', (i) => `/reports/courses/${pick(courses, i).id}/export/learners.csv`);
  await measure('export: course learners XLSX', (i) => `/reports/courses/${pick(courses, i).id}/export/learners.xlsx`);
  await measure('export: learner timeline CSV', (i) => {
    const e = pick(enrolments, i);
    return `/reports/courses/${e.course_id}/learners/${e.user_id}/export/timeline.csv`;
  });

  const ms = (v: number) => v.toFixed(0).padStart(6);
  process.stdout.write(`| ${'page'.padEnd(48)} | p50 ms | p95 ms | max ms | bytes    | peak RSS MB |\n`);
  process.stdout.write(`|${'-'.repeat(50)}|--------|--------|--------|----------|-------------|\n`);
  for (const r of rows)
    process.stdout.write(
      `| ${r.what.padEnd(48)} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.max)} | ${String(r.bytes).padStart(8)} | ${r.rssMb.toFixed(0).padStart(11)} |\n`,
    );
  process.stdout.write(`\n${RUNS} requests each after 3 warm-ups; server and client in one process on this machine.\n`);
  server.closeAllConnections();
  server.close();
  await database.close();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
