import type { RequestHandler } from 'express';
import session, { type SessionData } from 'express-session';
import { ConnectSessionKnexStore } from 'connect-session-knex';
import { doubleCsrf } from 'csrf-csrf';
import type { Db } from '../db.js';
import { Forbidden } from '../errors.js';

export interface CookieSettings {
  secret: string;
  secure: boolean;
  maxAgeMs: number;
}

/** Behind HTTPS cookies are Secure and carry the __Host- prefix (no Domain, path /). */
const cookieName = (base: string, secure: boolean) => (secure ? `__Host-${base}` : base);

type Done = (err?: unknown) => void;

/**
 * connect-session-knex 5 hands an error to the callback and then rethrows it from a promise nobody awaits
 * (express-session uses the callbacks): with the database down, one page request would end the process.
 * Here the error goes to the callback only, so the request fails with a 500 page and the platform stays up.
 */
class SessionStore extends ConnectSessionKnexStore {
  override get(sid: string, cb: (err: unknown, session?: SessionData | null) => void) {
    return super.get(sid, cb).catch(() => null);
  }
  override set(sid: string, sess: SessionData, cb?: Done) {
    return super.set(sid, sess, cb).catch(() => undefined);
  }
  override touch(sid: string, sess: SessionData, cb?: Done) {
    return super.touch(sid, sess).then(
      () => cb?.(),
      (err: unknown) => cb?.(err),
    );
  }
  override destroy(sid: string, cb?: Done) {
    return super.destroy(sid, cb).catch(() => 0);
  }
}

/** Deletes the sessions that have expired (the store's own clean-up timer is off: housekeeping calls this). */
export const purgeExpiredSessions = (db: Db) => db('sessions').where('expired', '<', db.fn.now()).delete();

export function sessions(db: Db, s: CookieSettings): RequestHandler {
  return session({
    name: cookieName('wch.sid', s.secure),
    secret: s.secret,
    store: new SessionStore({
      knex: db,
      tableName: 'sessions',
      createTable: false,
      cleanupInterval: 0,
    }),
    resave: false,
    saveUninitialized: false,
    rolling: true,
    cookie: { httpOnly: true, sameSite: 'lax', secure: s.secure, path: '/', maxAge: s.maxAgeMs },
  });
}

/**
 * Double-submit CSRF tokens bound to the session id; forms send `_csrf` (multipart forms in the query),
 * scripts the `X-CSRF-Token` header. A form page marks the session so that its id survives to the POST.
 */
export function csrf(s: CookieSettings) {
  const { generateCsrfToken, doubleCsrfProtection } = doubleCsrf({
    getSecret: () => s.secret,
    getSessionIdentifier: (req) => req.sessionID,
    cookieName: cookieName('wch.csrf', s.secure),
    cookieOptions: { sameSite: 'lax', secure: s.secure, path: '/', httpOnly: true },
    getCsrfTokenFromRequest: (req) =>
      (req.body as { _csrf?: string } | undefined)?._csrf ??
      (req.headers['x-csrf-token'] as string | undefined) ??
      // Multipart bodies are streamed by their route after this check: their forms carry the token in the query.
      (req.is('multipart/form-data') && typeof req.query._csrf === 'string' ? req.query._csrf : undefined),
  });
  const protect: RequestHandler = (req, res, next) => {
    doubleCsrfProtection(req, res, (err?: unknown) => next(err ? new Forbidden('errors.csrf') : undefined));
  };
  const token: RequestHandler = (req, res, next) => {
    let cached: string | undefined;
    res.locals.csrfToken = () => {
      if (!req.session.csrfBound) req.session.csrfBound = true;
      cached ??= generateCsrfToken(req, res, { overwrite: false, validateOnReuse: false });
      return cached;
    };
    next();
  };
  return { protect, token };
}
