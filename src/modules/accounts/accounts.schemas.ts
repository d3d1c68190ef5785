import { z } from 'zod';
import { ROLES, type Role } from '../../platform/http/types.js';
import { LANGUAGES } from '../../platform/i18n.js';

// Messages are i18n keys of the accounts namespace; forms show them next to the field.
const email = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ message: 'accounts:errors.email' }));
const name = z.string().trim().min(1, 'accounts:errors.nameRequired').max(120, 'accounts:errors.nameTooLong');
export const password = z
  .string()
  .min(10, 'accounts:errors.passwordTooShort')
  .max(256, 'accounts:errors.passwordTooLong');
const roleList = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
  .pipe(z.array(z.enum(ROLES as [Role, ...Role[]], { message: 'accounts:errors.role' })));

export const SignInForm = z.object({ email: z.string().trim().max(254), password: z.string().max(256) });

export const CreateUserInput = z.object({
  email,
  name,
  password: password.optional(),
  roles: roleList,
  language: z.enum(LANGUAGES).optional(),
});
export type CreateUserInput = z.infer<typeof CreateUserInput>;

export const InviteForm = z.object({ email, name, roles: roleList });
export type InviteForm = z.infer<typeof InviteForm>;

export const RegisterForm = z.object({ email, name });

export const ChangePasswordForm = z.object({ current: z.string().max(256), password });

export const SetPasswordForm = z.object({ password });

export const ForgotPasswordForm = z.object({ email });

export const RolesForm = z.object({ roles: roleList });

export const LanguageForm = z.object({ lang: z.enum(LANGUAGES), back: z.string().optional() });

export const UserListQuery = z.object({
  q: z.string().trim().max(120).optional(),
  role: z
    .enum(ROLES as [Role, ...Role[]])
    .optional()
    .catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
});
