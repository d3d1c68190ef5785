import type { z } from 'zod';
import { ValidationFailed } from '../errors.js';

export type FieldErrors = Record<string, string>;

/** Parses a form; on failure throws ValidationFailed with one i18n key per field. */
export function parseForm<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const fields: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? '_form');
    fields[field] ??= issue.message.includes(':') ? issue.message : 'errors.invalidField';
  }
  throw new ValidationFailed(fields);
}

/** Runs a form action; on ValidationFailed renders the form again with its messages (422). */
export async function withFormErrors(
  res: { status(n: number): { render(view: string, locals: object): void } },
  view: string,
  locals: object,
  action: () => Promise<void>,
): Promise<void> {
  try {
    await action();
  } catch (err) {
    if (!(err instanceof ValidationFailed)) throw err;
    res.status(422).render(view, { ...locals, errors: err.fields });
  }
}
