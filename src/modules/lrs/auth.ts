import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import type { Db } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { findClientByKey, type LrsClientRow } from './clients.repo.js';
import { basicCredentials } from './http.js';
import type { LrsAuth, Scope } from './lrs.types.js';
import { rememberVersion, xapiVersionOf } from './version.js';

/** Read scopes that `all/read` grants. */
const READ_SCOPES: ReadonlySet<Scope> = new Set(['statements/read', 'statements/read/mine', 'all/read']);

/**
 * The xAPI scope hierarchy: `all` grants everything, `all/read` every read scope,
 * `statements/read` also `statements/read/mine`.
 */
export function hasScope(auth: Pick<LrsAuth, 'scopes'>, scope: Scope): boolean {
  const s = auth.scopes;
  if (s.has('all') || s.has(scope)) return true;
  if (READ_SCOPES.has(scope) && s.has('all/read')) return true;
  return scope === 'statements/read/mine' && s.has('statements/read');
}

/** Reading a document resource (State, profiles): its own scope, or `all/read`. */
export const mayRead = (auth: Pick<LrsAuth, 'scopes'>, scope: Scope) =>
  hasScope(auth, scope) || hasScope(auth, 'all/read');

export const hashSecret = (secret: string) => createHash('sha256').update(secret, 'utf8').digest();

interface Cached {
  key: string;
  auth: LrsAuth;
  hash: Buffer;
  enabled: boolean;
  expiresAt: number | null;
  until: number;
}

// Verified keys for ~30 s: one query per key per half minute instead of one per request.
const CACHE_MS = 30_000;
const CACHE_MAX = 10_000;
const cache = new Map<string, Cached>();
// Authorization header values whose secret matched: the same header again skips decoding and hashing.
const verified = new Map<string, Cached>();

/** Forget a key at once (disabled by an admin in this process). Without a key: forget all. */
export function forgetCredential(key?: string): void {
  if (key === undefined) {
    cache.clear();
    verified.clear();
    return;
  }
  cache.delete(key);
  for (const [header, entry] of verified) if (entry.key === key) verified.delete(header);
}

/** The client of an Authorization header verified in the last ~30 s, enabled and unexpired; else null. */
export function recentlyVerified(header: string | undefined): Pick<Cached, 'key' | 'auth'> | null {
  const hit = header === undefined ? undefined : verified.get(header);
  if (!hit) return null;
  const now = Date.now();
  if (hit.until <= now || !hit.enabled || (hit.expiresAt !== null && hit.expiresAt <= now)) return null;
  return hit;
}

function toAuth(row: LrsClientRow): LrsAuth {
  return {
    clientId: row.id,
    authority: row.authority,
    scopes: new Set(row.scopes),
    ...(row.launch ? { launch: row.launch } : {}),
  };
}

async function lookUp(db: Db, key: string): Promise<Cached | null> {
  const hit = cache.get(key);
  const now = Date.now();
  if (hit && hit.until > now) return hit;
  const row = await findClientByKey(db, key);
  if (!row) {
    cache.delete(key);
    return null;
  }
  if (cache.size >= CACHE_MAX) cache.clear();
  const entry: Cached = {
    key,
    auth: toAuth(row),
    hash: Buffer.from(row.secret_hash),
    enabled: row.enabled,
    expiresAt: row.expires_at ? new Date(row.expires_at).getTime() : null,
    until: now + CACHE_MS,
  };
  cache.set(key, entry);
  return entry;
}

const unauthorized = (res: Response, reason: string) => {
  res.setHeader('WWW-Authenticate', 'Basic realm="xAPI"');
  return new AppError(401, reason);
};

/** HTTP Basic with an LRS client's key and secret; sets `res.locals.lrsAuth`. */
export function authenticate(db: Db): RequestHandler {
  return async (req, res, next) => {
    const header = req.headers.authorization;
    const known = recentlyVerified(header);
    if (known) {
      res.locals.lrsAuth = known.auth;
      rememberVersion(known.key, xapiVersionOf(res));
      return next();
    }
    const creds = basicCredentials(header);
    if (!creds) {
      throw unauthorized(res, req.headers.authorization ? 'lrs:auth.malformed' : 'lrs:auth.missing');
    }
    const found = await lookUp(db, creds.key);
    const given = hashSecret(creds.secret);
    // Compare even for an unknown key so that timing does not tell which keys exist.
    const ok = timingSafeEqual(found?.hash ?? Buffer.alloc(32), given) && found !== null;
    if (!ok || !found) throw unauthorized(res, 'lrs:auth.invalid');
    if (!found.enabled) throw unauthorized(res, 'lrs:auth.disabled');
    if (found.expiresAt !== null && found.expiresAt <= Date.now())
      throw unauthorized(res, 'lrs:auth.expired');
    res.locals.lrsAuth = found.auth;
    rememberVersion(creds.key, xapiVersionOf(res));
    if (verified.size >= CACHE_MAX) verified.clear();
    verified.set(header!, found);
    next();
  };
}

/** The caller's credentials, set by `authenticate`. */
export function lrsAuthOf(res: Response): LrsAuth {
  const auth = res.locals.lrsAuth as LrsAuth | undefined;
  if (!auth) throw new AppError(401, 'lrs:auth.missing');
  return auth;
}
