import { z } from 'zod';

// Messages are i18n keys of the groups namespace; forms show them next to the field.
export const GROUP_KINDS = ['working_group', 'cohort'] as const;
export type GroupKind = (typeof GROUP_KINDS)[number];

export const GroupForm = z.object({
  name: z.string().trim().min(1, 'groups:errors.nameRequired').max(120, 'groups:errors.nameTooLong'),
  description: z.string().trim().max(2000, 'groups:errors.descriptionTooLong').default(''),
  kind: z.enum(GROUP_KINDS, { message: 'groups:errors.kind' }),
});
export type GroupForm = z.infer<typeof GroupForm>;

export const MemberForm = z.object({
  email: z
    .string()
    .trim()
    .max(254)
    .pipe(z.email({ message: 'groups:errors.email' })),
});

export const GroupListQuery = z.object({
  kind: z.enum(GROUP_KINDS).optional().catch(undefined),
});
