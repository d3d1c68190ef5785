import type { Db } from '../../platform/db.js';

export const RULES = ['completed', 'passed', 'min_score'] as const;
export type RuleKind = (typeof RULES)[number];

export interface CompletionRule {
  rule: RuleKind;
  /** 0–1, for `min_score` */
  minScore: number | null;
  /** hours printed on the certificate; null = the learner's recorded time */
  hours: number | null;
}

export const DEFAULT_RULE: CompletionRule = { rule: 'completed', minScore: null, hours: null };

export async function findRule(db: Db, courseId: string): Promise<CompletionRule> {
  const row = (await db('course_completion_rules').where({ course_id: courseId }).first()) as
    { rule: RuleKind; min_score: number | null; hours: number | null } | undefined;
  if (!row) return DEFAULT_RULE;
  return {
    rule: row.rule,
    minScore: row.min_score === null ? null : Number(row.min_score),
    hours: row.hours === null ? null : Number(row.hours),
  };
}

export async function saveRule(db: Db, courseId: string, r: CompletionRule, by: string): Promise<void> {
  await db('course_completion_rules')
    .insert({ course_id: courseId, rule: r.rule, min_score: r.minScore, hours: r.hours, updated_by: by })
    .onConflict('course_id')
    .merge({ rule: r.rule, min_score: r.minScore, hours: r.hours, updated_by: by, updated_at: db.fn.now() });
}

/** An enrolment that has just met its course's rule. */
export interface CompletionMet {
  enrolmentId: string;
  courseId: string;
  userId: string;
  registration: string;
  rule: RuleKind;
  score: number | null;
  timeMs: number;
  hours: number | null;
  completedAt: Date | null;
}

/**
 * Of these enrolments (or every enrolment of a course), those that meet their rule now and never met it
 * before: recorded in progress_completions in the same statement, so each is returned once only.
 */
export async function claimCompletions(
  db: Db,
  where: { enrolmentIds: string[] } | { courseId: string },
): Promise<CompletionMet[]> {
  const filter = 'enrolmentIds' in where ? 'pe.enrolment_id = any(?::uuid[])' : 'pe.course_id = ?';
  const binding = 'enrolmentIds' in where ? where.enrolmentIds : where.courseId;
  const res = (await db.raw(
    `with met as (
      select pe.enrolment_id, pe.course_id, pe.user_id, e.registration, coalesce(r.rule, 'completed') as rule,
        pe.score, pe.time_ms, r.hours, pe.completed_at
      from progress_enrolments pe
      join enrolments e on e.id = pe.enrolment_id
      left join course_completion_rules r on r.course_id = pe.course_id
      where ${filter} and e.status <> 'withdrawn' and pe.completed
        and case coalesce(r.rule, 'completed')
          when 'passed' then pe.success is true
          when 'min_score' then pe.score is not null and pe.score >= coalesce(r.min_score, 0) - 1e-9
          else true end
    ), claimed as (
      insert into progress_completions (enrolment_id, rule)
      select enrolment_id, rule from met on conflict (enrolment_id) do nothing
      returning enrolment_id
    )
    select met.* from met join claimed using (enrolment_id)`,
    [binding],
  )) as {
    rows: {
      enrolment_id: string;
      course_id: string;
      user_id: string;
      registration: string;
      rule: RuleKind;
      score: number | null;
      time_ms: string | number;
      hours: number | null;
      completed_at: Date | null;
    }[];
  };
  return res.rows.map((r) => ({
    enrolmentId: r.enrolment_id,
    courseId: r.course_id,
    userId: r.user_id,
    registration: r.registration,
    rule: r.rule,
    score: r.score === null ? null : Number(r.score),
    timeMs: Number(r.time_ms),
    hours: r.hours === null ? null : Number(r.hours),
    completedAt: r.completed_at,
  }));
}
