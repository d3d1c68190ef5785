import { VERBS, lit } from './verbs.js';

// The SQL that folds statements into the projections. One text serves the transaction hook (the batch's
// statement ids), a rebuild of one registration and a rebuild of everything: only the source filter differs,
// and every merge is an addition, a minimum, a maximum, an "or" or "newest by seq", so order does not matter.

/** Which statements to fold in; `?` bindings in the order given. */
export type Source = { ids: string[] } | { registrations: string[] } | { all: true };

function sourceWhere(src: Source): { sql: string; bindings: unknown[] } {
  if ('ids' in src) return { sql: 's.id = any(?::uuid[])', bindings: [src.ids] };
  if ('registrations' in src)
    return {
      sql: `s.seq in (select r.seq from statement_related r where r.kind = 6 and r.ident = any(?::text[]))`,
      bindings: [src.registrations.map((x) => x.toLowerCase())],
    };
  return { sql: 'true', bindings: [] };
}

const V = Object.fromEntries(Object.entries(VERBS).map(([k, v]) => [k, lit(v)])) as Record<
  keyof typeof VERBS,
  string
>;
const COMPLETION = `(verb_id in (${V.completed}, ${V.passed}, ${V.satisfied}) or (r->>'completion') = 'true')`;
const PASS = `(verb_id = ${V.passed} or (r->>'success') = 'true')`;
const FAIL = `(verb_id = ${V.failed} or (r->>'success') = 'false')`;
const SESSION_END = `verb_id in (${V.terminated}, ${V.suspended})`;

/** Folds the source's statements into progress_items, progress_children and progress_days; returns touched enrolment ids. */
export function mergeSql(src: Source): { sql: string; bindings: unknown[] } {
  const where = sourceWhere(src);
  const sql = `
with src as (
  select s.seq, s.registration, s.activity_id, s.verb_id, s."timestamp" as ts, s.statement->'result' as r
  from statements s
  where ${where.sql} and s.registration is not null and not s.voided and not s.voiding
), mapped as (
  select distinct on (src.seq) src.*, e.id as enrolment_id, i.activity_id as course_activity_id, i.iri,
    (src.activity_id = i.iri) as own
  from src
  join enrolments e on e.registration = src.registration
  join activities a on a.course_id = e.course_id
  join course_activity_iris i on i.activity_id = a.id and left(src.activity_id, length(i.iri)) = i.iri
  order by src.seq, length(i.iri) desc
), m as (
  select mapped.*,
    case
      when jsonb_typeof(r->'score'->'scaled') = 'number' then least(1, greatest(-1, (r->'score'->>'scaled')::float8))
      when jsonb_typeof(r->'score'->'raw') = 'number' and jsonb_typeof(r->'score'->'max') = 'number'
        and (r->'score'->>'max')::float8 > coalesce((r->'score'->>'min')::float8, 0)
      then least(1, greatest(0, ((r->'score'->>'raw')::float8 - coalesce((r->'score'->>'min')::float8, 0))
        / ((r->'score'->>'max')::float8 - coalesce((r->'score'->>'min')::float8, 0))))
    end as score,
    case when jsonb_typeof(r->'duration') = 'string' then progress_duration_ms(r->>'duration') end as dur
  from mapped
), agg as (
  select enrolment_id, course_activity_id as activity_id, iri,
    count(*)::int as statements, min(ts) as first_at, max(ts) as last_at,
    coalesce(bool_or(own and ${COMPLETION}), false) as completed,
    min(ts) filter (where own and ${COMPLETION}) as completed_at,
    coalesce(bool_or(own and ${PASS}), false) as passed_ever,
    coalesce(bool_or(own and ${FAIL}), false) as failed_ever,
    max(score) filter (where own) as best_score,
    (array_agg(score order by seq desc) filter (where own and score is not null))[1] as last_score,
    max(seq) filter (where own and score is not null) as last_score_seq,
    coalesce(sum(dur) filter (where own and ${SESSION_END}), 0)::bigint as session_ms,
    coalesce(bool_or(own and ${SESSION_END}), false) as sessions_seen,
    coalesce(sum(dur) filter (where own and ${COMPLETION}), 0)::bigint as completed_ms,
    (count(*) filter (where own and verb_id in (${V.initialized}, ${V.attempted})))::int as attempts
  from m group by enrolment_id, course_activity_id, iri
), items as (
  insert into progress_items as t (enrolment_id, activity_id, iri, statements, first_at, last_at, completed,
    completed_at, passed_ever, failed_ever, best_score, last_score, last_score_seq, session_ms, sessions_seen,
    completed_ms, attempts)
  select * from agg
  on conflict (enrolment_id, activity_id, iri) do update set
    statements = t.statements + excluded.statements,
    first_at = least(t.first_at, excluded.first_at),
    last_at = greatest(t.last_at, excluded.last_at),
    completed = t.completed or excluded.completed,
    completed_at = least(t.completed_at, excluded.completed_at),
    passed_ever = t.passed_ever or excluded.passed_ever,
    failed_ever = t.failed_ever or excluded.failed_ever,
    best_score = greatest(t.best_score, excluded.best_score),
    last_score = case when excluded.last_score_seq > coalesce(t.last_score_seq, -1) then excluded.last_score else t.last_score end,
    last_score_seq = greatest(t.last_score_seq, excluded.last_score_seq),
    session_ms = t.session_ms + excluded.session_ms,
    sessions_seen = t.sessions_seen or excluded.sessions_seen,
    completed_ms = t.completed_ms + excluded.completed_ms,
    attempts = t.attempts + excluded.attempts
  returning t.enrolment_id
), children as (
  insert into progress_children as t (enrolment_id, activity_id, iri, child_iri, passed_ever, best_score, last_score, last_seq)
  select enrolment_id, course_activity_id, iri, activity_id,
    coalesce(bool_or(${PASS}), false), max(score), (array_agg(score order by seq desc))[1], max(seq)
  from m where not own and verb_id in (${V.passed}, ${V.failed})
  group by enrolment_id, course_activity_id, iri, activity_id
  on conflict (enrolment_id, activity_id, iri, child_iri) do update set
    passed_ever = t.passed_ever or excluded.passed_ever,
    best_score = greatest(t.best_score, excluded.best_score),
    last_score = case when excluded.last_seq > t.last_seq then excluded.last_score else t.last_score end,
    last_seq = greatest(t.last_seq, excluded.last_seq)
  returning t.enrolment_id
), days as (
  insert into progress_days as t (enrolment_id, course_id, day, statements)
  select e.id, e.course_id, (src.ts at time zone 'UTC')::date, count(*)::int
  from src join enrolments e on e.registration = src.registration
  group by 1, 2, 3
  on conflict (enrolment_id, day) do update set statements = t.statements + excluded.statements
  returning t.enrolment_id
)
select distinct enrolment_id from (select enrolment_id from items union all select enrolment_id from children) x`;
  return { sql, bindings: where.bindings };
}

/** Which enrolments a rollup rewrites: these ids, or every one. */
export type Scope = { enrolmentIds: string[] } | { all: true };
const scopeWhere = (s: Scope, col: string) =>
  'enrolmentIds' in s
    ? { sql: `${col} = any(?::uuid[])`, bindings: [s.enrolmentIds] }
    : { sql: 'true', bindings: [] };

/** Items (with their child assessments) rolled up per course activity. */
export function rollupActivitiesSql(scope: Scope): { sql: string; bindings: unknown[] } {
  const w = scopeWhere(scope, 'pi.enrolment_id');
  return {
    sql: `
with it as (
  -- an item with statements but no initialized/attempted (e.g. H5P answered at once) has had one attempt
  select pi.enrolment_id, pi.activity_id, pi.iri, pi.completed, pi.completed_at, greatest(pi.attempts, 1) as attempts,
    pi.first_at, pi.last_at,
    coalesce(pi.best_score, c.best) as score_best,
    coalesce(pi.last_score, c.last) as score_last,
    case when pi.passed_ever then true when pi.failed_ever then false
         when pi.completed and c.n > 0 then c.all_passed end as success,
    case when pi.sessions_seen then pi.session_ms else pi.completed_ms end as time_ms
  from progress_items pi
  left join lateral (
    select count(*) as n, avg(pc.best_score) as best, avg(pc.last_score) as last, bool_and(pc.passed_ever) as all_passed
    from progress_children pc
    where pc.enrolment_id = pi.enrolment_id and pc.activity_id = pi.activity_id and pc.iri = pi.iri
  ) c on true
  where ${w.sql}
), per as (
  -- the activity's items, and apart from them the item that decides it by itself (a SCORM 2004 package's root)
  select ea.enrolment_id, i.activity_id,
    count(*) filter (where not i.decides) > 0
      and count(*) filter (where not i.decides) = count(*) filter (where not i.decides and it.completed) as all_completed,
    case when count(it.success) filter (where not i.decides) = 0 then null
         when bool_or(it.success = false) filter (where not i.decides) then false
         when count(*) filter (where not i.decides) = count(*) filter (where not i.decides and it.completed)
         then true end as items_success,
    coalesce(bool_or(it.completed) filter (where i.decides), false) as root_completed,
    bool_or(it.success) filter (where i.decides) as root_success,
    avg(it.score_best) filter (where not i.decides) as items_score,
    avg(it.score_last) filter (where not i.decides) as items_last_score,
    max(it.score_best) filter (where i.decides) as root_score,
    max(it.score_last) filter (where i.decides) as root_last_score,
    max(it.completed_at) filter (where not i.decides) as items_completed_at,
    min(it.completed_at) filter (where i.decides) as root_completed_at,
    coalesce(sum(it.time_ms), 0)::bigint as time_ms, coalesce(max(it.attempts), 0)::int as attempts,
    min(it.first_at) as first_at, max(it.last_at) as last_at
  from (select distinct enrolment_id, activity_id from it) ea
  join course_activity_iris i on i.activity_id = ea.activity_id
  left join it on it.enrolment_id = ea.enrolment_id and it.activity_id = i.activity_id and it.iri = i.iri
  group by ea.enrolment_id, i.activity_id
), act as (
  select enrolment_id, activity_id, root_completed or all_completed as completed,
    coalesce(root_success, items_success) as success,
    coalesce(root_score, items_score) as score, coalesce(root_last_score, items_last_score) as last_score,
    time_ms, attempts, first_at, last_at,
    case when root_completed then root_completed_at else items_completed_at end as completed_at
  from per
)
insert into progress_activities as t (enrolment_id, activity_id, status, completed, success, score, last_score, time_ms,
  attempts, first_at, last_at, completed_at)
select enrolment_id, activity_id,
  case when success then 'passed' when success = false then 'failed' when completed then 'completed' else 'in_progress' end,
  completed, success, score, last_score, time_ms, attempts, first_at, last_at,
  case when completed then completed_at end
from act
on conflict (enrolment_id, activity_id) do update set status = excluded.status, completed = excluded.completed,
  success = excluded.success, score = excluded.score, last_score = excluded.last_score, time_ms = excluded.time_ms,
  attempts = excluded.attempts, first_at = excluded.first_at, last_at = excluded.last_at, completed_at = excluded.completed_at`,
    bindings: w.bindings,
  };
}

/** Course activities rolled up per enrolment, over the course's tracked activities (those with IRIs). */
export function rollupEnrolmentsSql(scope: Scope): { sql: string; bindings: unknown[] } {
  const w = scopeWhere(scope, 'e.id');
  return {
    sql: `
with tracked as (
  select a.course_id, count(*)::int as n from activities a
  where exists (select 1 from course_activity_iris i where i.activity_id = a.id) group by a.course_id
), en as (
  select e.id as enrolment_id, e.course_id, e.user_id, coalesce(tr.n, 0) as tracked,
    count(pa.activity_id) filter (where pa.completed) as done,
    case when count(pa.success) = 0 then null when bool_or(pa.success = false) then false else true end as verdict,
    avg(pa.score) as score, coalesce(sum(pa.time_ms), 0)::bigint as time_ms,
    coalesce(sum(pa.attempts), 0)::int as attempts, min(pa.first_at) as first_at, max(pa.last_at) as last_at,
    max(pa.completed_at) as completed_at
  from enrolments e
  join progress_activities pa on pa.enrolment_id = e.id
  join activities a on a.id = pa.activity_id and a.course_id = e.course_id
  left join tracked tr on tr.course_id = e.course_id
  where ${w.sql}
  group by e.id, e.course_id, e.user_id, tr.n
), r as (
  select *, tracked > 0 and done >= tracked as completed from en
)
insert into progress_enrolments as t (enrolment_id, course_id, user_id, status, completed, success, score, progress_pct,
  time_ms, attempts, first_at, last_at, completed_at)
select enrolment_id, course_id, user_id,
  case when completed and verdict then 'passed' when verdict = false then 'failed' when completed then 'completed'
       else 'in_progress' end,
  completed, case when verdict = false then false when completed then verdict end, score,
  case when tracked = 0 then 0 else least(100, round(100.0 * done / tracked))::int end,
  time_ms, attempts, first_at, last_at, case when completed then completed_at end
from r
on conflict (enrolment_id) do update set status = excluded.status, completed = excluded.completed,
  success = excluded.success, score = excluded.score, progress_pct = excluded.progress_pct, time_ms = excluded.time_ms,
  attempts = excluded.attempts, first_at = excluded.first_at, last_at = excluded.last_at,
  completed_at = excluded.completed_at`,
    bindings: w.bindings,
  };
}
