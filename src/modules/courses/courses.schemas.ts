import { z } from 'zod';
import { LANGUAGES, type Language } from '../../platform/i18n.js';

// Messages are i18n keys of the courses namespace; forms show them next to the field.
export const COURSE_STATUSES = ['draft', 'published', 'archived'] as const;
export type CourseStatus = (typeof COURSE_STATUSES)[number];
export const VISIBILITIES = ['members', 'public'] as const;
export type Visibility = (typeof VISIBILITIES)[number];
export const ENROLMENT_STATUSES = ['active', 'completed', 'withdrawn'] as const;
export type EnrolmentStatus = (typeof ENROLMENT_STATUSES)[number];
export const COURSE_LANGUAGES: readonly Language[] = LANGUAGES;

export const SLUG_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const checkbox = z
  .string()
  .optional()
  .transform((v) => v === 'on' || v === '1' || v === 'true');
const email = (key: string) =>
  z
    .string()
    .trim()
    .max(254)
    .pipe(z.email({ message: key }));

export const CourseForm = z.object({
  title: z.string().trim().min(1, 'courses:errors.titleRequired').max(200, 'courses:errors.titleTooLong'),
  slug: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .trim()
      .toLowerCase()
      .max(80, 'courses:errors.slugTooLong')
      .regex(SLUG_PATTERN, 'courses:errors.slugFormat')
      .optional(),
  ),
  description: z.string().trim().max(5000, 'courses:errors.descriptionTooLong').default(''),
  language: z.enum(LANGUAGES, { message: 'courses:errors.language' }),
  visibility: z.enum(VISIBILITIES, { message: 'courses:errors.visibility' }),
  self_enrol: checkbox,
  owner_email: z.preprocess(emptyToUndefined, email('courses:errors.ownerEmail').optional()),
});
export type CourseForm = z.infer<typeof CourseForm>;

export const StatusForm = z.object({ status: z.enum(COURSE_STATUSES) });

/** The limit counts characters, not UTF-16 units: 100,000 emoji or rare CJK characters fit too. */
export const PAGE_BODY_MAX = 100_000;
const codePoints = (s: string) =>
  s.length <= PAGE_BODY_MAX ? s.length : s.length - (s.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g)?.length ?? 0);

export const PageActivityForm = z.object({
  title: z
    .string()
    .trim()
    .min(1, 'courses:errors.activityTitleRequired')
    .max(200, 'courses:errors.titleTooLong'),
  body: z
    .string()
    .refine((s) => codePoints(s) <= PAGE_BODY_MAX, 'courses:errors.bodyTooLong')
    .default(''),
});
export type PageActivityForm = z.infer<typeof PageActivityForm>;

export const MoveForm = z.object({ direction: z.enum(['up', 'down']) });
export type Direction = z.infer<typeof MoveForm>['direction'];

export const EnrolLearnerForm = z.object({ email: email('courses:errors.email') });
export const EnrolGroupForm = z.object({ group_id: z.uuid({ message: 'courses:errors.group' }) });

const page = z.coerce.number().int().min(1).max(10_000).catch(1).default(1);

export const CatalogueQuery = z.object({
  q: z.string().trim().max(120).optional().catch(undefined),
  lang: z.enum(LANGUAGES).optional().catch(undefined),
  page,
});
export type CatalogueQuery = z.infer<typeof CatalogueQuery>;

export const PageQuery = z.object({ page });
