import { z } from 'zod';
import { SCOPES, type Scope } from './lrs.types.js';

// Messages are i18n keys of the lrs namespace; the form shows them next to the field.
export const scopeList = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
  .pipe(
    z
      .array(z.enum(SCOPES as unknown as [Scope, ...Scope[]], { message: 'lrs:admin.errors.scope' }))
      .min(1, 'lrs:admin.errors.scopesRequired'),
  );

export const NewClientForm = z.object({
  name: z.string().trim().min(1, 'lrs:admin.errors.nameRequired').max(120, 'lrs:admin.errors.nameTooLong'),
  scopes: scopeList,
});
export type NewClientForm = z.infer<typeof NewClientForm>;
