import type { Request, RequestHandler, Response } from 'express';
import { Forbidden, Unauthorized } from '../errors.js';
import type { Role } from './types.js';

const signInFirst = (res: Response, next: string) =>
  res.redirect(303, next ? `/signin?next=${encodeURIComponent(next)}` : '/signin');

/** A form a browser posted as a page (a script asking for JSON, or an upload, is answered 401 instead). */
const isPageForm = (req: Request) =>
  !!req.is('application/x-www-form-urlencoded') && req.accepts(['html', 'json']) === 'html';

/**
 * Anonymous visitors of a page are sent to sign in, and come back afterwards. So is a form sent once its
 * session has ended: back to `pageOf(req)` (the page of the form: a POST's own URL is no page), else home.
 */
export const requireUserBackTo =
  (pageOf?: (req: Request) => string): RequestHandler =>
  (req, res, next) => {
    if (req.user) return next();
    if (!req.path.startsWith('/api/')) {
      if (req.method === 'GET') return signInFirst(res, req.originalUrl);
      if (isPageForm(req)) return signInFirst(res, pageOf ? safeLocalPath(pageOf(req), '') : '');
    }
    throw new Unauthorized();
  };

export const requireUser: RequestHandler = requireUserBackTo();

export const requireRole =
  (...roles: Role[]): RequestHandler =>
  (req, res, next) => {
    if (!req.user) return requireUser(req, res, next);
    if (!roles.some((r) => req.user!.roles.includes(r))) throw new Forbidden();
    next();
  };

/** Only paths of this platform: never another host, never a protocol-relative URL. */
export function safeLocalPath(candidate: unknown, fallback = '/'): string {
  if (typeof candidate !== 'string' || !candidate.startsWith('/') || candidate.startsWith('//'))
    return fallback;
  // eslint-disable-next-line no-control-regex -- control characters are what we refuse
  if (candidate.includes('\\') || /[\u0000-\u001f]/.test(candidate)) return fallback;
  return candidate;
}

export const clientIp = (req: { ip?: string; socket: { remoteAddress?: string } }) =>
  req.ip ?? req.socket.remoteAddress ?? 'unknown';
