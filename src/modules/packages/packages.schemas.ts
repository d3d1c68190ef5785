import { z } from 'zod';

// Messages are i18n keys of the packages namespace; forms show them next to the field.
const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

export const PackageDetailsForm = z.object({
  title: z.string().trim().min(1, 'packages:errors.titleRequired').max(500, 'packages:errors.titleTooLong'),
  description: z.string().trim().max(5000, 'packages:errors.descriptionTooLong').default(''),
  language: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .trim()
      .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, 'packages:errors.language')
      .max(35, 'packages:errors.language')
      .optional(),
  ),
});
export type PackageDetailsForm = z.infer<typeof PackageDetailsForm>;

export const AddToCourseForm = z.discriminatedUnion('target', [
  z.object({ target: z.literal('new') }),
  z.object({ target: z.literal('existing'), course_id: z.uuid({ message: 'packages:errors.course' }) }),
]);
export type AddToCourseForm = z.infer<typeof AddToCourseForm>;

export const PageQuery = z.object({ page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1) });
