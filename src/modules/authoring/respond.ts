import type { Request, Response } from 'express';
import { ValidationFailed } from '../../platform/errors.js';

/** Scripts (autosave, keyboard reorder) ask for JSON; plain forms get a redirect. */
export const wantsJson = (req: Request) => (req.get('accept') ?? '').includes('application/json');

export function done(req: Request, res: Response, redirect: string, json: object = {}) {
  if (wantsJson(req)) res.json({ ok: true, ...json });
  else res.redirect(303, redirect);
}

/** For scripts, a refused form answers 422 with each field's message in the user's language. */
export async function jsonErrors(req: Request, res: Response, action: () => Promise<void>): Promise<boolean> {
  try {
    await action();
    return true;
  } catch (err) {
    if (!(err instanceof ValidationFailed) || !wantsJson(req)) throw err;
    res.status(422).json({
      ok: false,
      errors: Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [k, req.t(v)])),
    });
    return false;
  }
}

/** Lets this response's page frame the given video origins (the CSP allows only our own by default). */
export function allowFrames(res: Response, origins: string[]) {
  if (!origins.length) return;
  const csp = res.getHeader('Content-Security-Policy');
  if (typeof csp !== 'string') return;
  res.setHeader(
    'Content-Security-Policy',
    csp.replace(
      /frame-src([^;]*)/,
      (_m, rest: string) => `frame-src${rest} ${[...new Set(origins)].join(' ')}`,
    ),
  );
}

/** Where the editor shows a course; its lessons and blocks live below it. */
export const editorPath = (courseId: string) => `/authoring/courses/${courseId}`;
