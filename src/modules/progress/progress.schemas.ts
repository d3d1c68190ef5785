import { z } from 'zod';
import { RULES } from './rules.repo.js';

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((s) => !Number.isNaN(Date.parse(s)))
  .optional()
  .catch(undefined);
const uuid = z.uuid().optional().catch(undefined);

export const SORTS = ['name', 'status', 'score', 'time', 'attempts', 'last', 'progress'] as const;
export type Sort = (typeof SORTS)[number];

/** Filters of a course report: group or cohort, enrolment date range. */
export const ReportFilters = z.object({
  group: uuid,
  from: day,
  to: day,
});
export type ReportFilters = z.infer<typeof ReportFilters>;

export const LearnerListQuery = ReportFilters.extend({
  sort: z.enum(SORTS).catch('name'),
  dir: z.enum(['asc', 'desc']).catch('asc'),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});
export type LearnerListQuery = z.infer<typeof LearnerListQuery>;

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export const ExportFormat = z.enum(EXPORT_FORMATS);

const percent = z
  .string()
  .trim()
  .transform((s) => (s === '' ? null : Number(s.replace(',', '.'))))
  .pipe(
    z
      .number('progress:rule.minScoreNumber')
      .min(0, 'progress:rule.minScoreRange')
      .max(100, 'progress:rule.minScoreRange')
      .nullable(),
  );
const hours = z
  .string()
  .trim()
  .transform((s) => (s === '' ? null : Number(s.replace(',', '.'))))
  .pipe(
    z
      .number('progress:rule.hoursNumber')
      .min(0, 'progress:rule.hoursRange')
      .max(10_000, 'progress:rule.hoursRange')
      .nullable(),
  );

export const RuleForm = z
  .object({
    rule: z.enum(RULES, 'progress:rule.ruleRequired'),
    min_score: percent.optional().default(null),
    hours: hours.optional().default(null),
  })
  .refine((f) => f.rule !== 'min_score' || f.min_score !== null, {
    path: ['min_score'],
    message: 'progress:rule.minScoreRequired',
  });
