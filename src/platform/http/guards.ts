import type { RequestHandler } from 'express';
import { Forbidden, Unauthorized } from '../errors.js';
import type { Role } from './types.js';

/** Anonymous visitors of a page are sent to sign in, and come back afterwards. */
export const requireUser: RequestHandler = (req, res, next) => {
  if (req.user) return next();
  if (req.method === 'GET' && !req.path.startsWith('/api/')) {
    return res.redirect(303, `/signin?next=${encodeURIComponent(req.originalUrl)}`);
  }
  throw new Unauthorized();
};

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
