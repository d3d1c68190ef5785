import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Config } from '../../platform/config.js';
import type { Db } from '../../platform/db.js';
import { platformSecret } from '../../platform/secrets.js';

/**
 * Short-lived signed access to one package version on the content origin. The token sits in the path
 * (`/p/<token>/<packageId>/<version>/<file>`), so the package's relative links and assets carry it
 * without a cookie (the content origin is another site than the LMS: its cookies would be third-party).
 * Every response of the content origin says `Referrer-Policy: no-referrer`, so the token does not leak
 * to third parties through Referer.
 */
export interface ContentSigner {
  /** An absolute URL on the content origin to `filePath` (relative to the package root, query kept). */
  url(packageId: string, version: number, filePath: string, ttlSeconds?: number): string;
  /** The path prefix a package version's files are served under, ending with `/`. */
  basePath(packageId: string, version: number, ttlSeconds?: number): string;
  token(packageId: string, version: number, expiresAtSeconds: number): string;
  /** Whether the token grants this package version now. */
  verify(token: string, packageId: string, version: number, nowSeconds?: number): boolean;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Percent-encodes each segment of a relative path, keeping `/` and an optional `?query#fragment`. */
export function encodeFilePath(filePath: string): string {
  const at = filePath.search(/[?#]/);
  const file = at < 0 ? filePath : filePath.slice(0, at);
  const rest = at < 0 ? '' : filePath.slice(at);
  return file.split('/').map(encodeURIComponent).join('/') + rest;
}

export function createContentSigner(
  secret: string,
  config: Pick<Config, 'contentOrigin' | 'contentTokenTtlSeconds'>,
): ContentSigner {
  const key = createHash('sha256').update(`content-access\0${secret}`).digest();
  const mac = (packageId: string, version: number, exp: number) =>
    createHmac('sha256', key).update(`${packageId}\0${version}\0${exp}`).digest('base64url');
  const signer: ContentSigner = {
    token(packageId, version, exp) {
      return `${exp.toString(36)}.${mac(packageId, version, exp)}`;
    },
    basePath(packageId, version, ttl = config.contentTokenTtlSeconds) {
      const token = signer.token(packageId, version, nowSeconds() + Math.max(1, Math.round(ttl)));
      return `/p/${token}/${packageId}/${version}/`;
    },
    url(packageId, version, filePath, ttl) {
      return (
        config.contentOrigin +
        signer.basePath(packageId, version, ttl) +
        encodeFilePath(filePath.replace(/^\/+/, ''))
      );
    },
    verify(token, packageId, version, now = nowSeconds()) {
      const m = /^([0-9a-z]{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
      if (!m) return false;
      const exp = parseInt(m[1]!, 36);
      if (!(exp > now)) return false;
      const expected = Buffer.from(mac(packageId, version, exp));
      const given = Buffer.from(m[2]!);
      return expected.length === given.length && timingSafeEqual(expected, given);
    },
  };
  return signer;
}

const signers = new WeakMap<Db, Map<string, Promise<ContentSigner>>>();

/** The signer of this platform (its key is a platform secret kept in the database). */
export function contentSigner(ctx: { db: Db; config: Config }): Promise<ContentSigner> {
  let byOrigin = signers.get(ctx.db);
  if (!byOrigin) signers.set(ctx.db, (byOrigin = new Map()));
  const id = `${ctx.config.contentOrigin} ${ctx.config.contentTokenTtlSeconds}`;
  let signer = byOrigin.get(id);
  if (!signer) {
    signer = platformSecret(ctx.db, 'content-access').then((secret) =>
      createContentSigner(secret, ctx.config),
    );
    byOrigin.set(id, signer);
  }
  return signer;
}

/** A signed URL of a package file on the content origin, valid `ttlSeconds` (default CONTENT_TOKEN_TTL_MINUTES). */
export async function signedContentUrl(
  ctx: { db: Db; config: Config },
  packageId: string,
  version: number,
  filePath: string,
  ttlSeconds?: number,
): Promise<string> {
  return (await contentSigner(ctx)).url(packageId, version, filePath, ttlSeconds);
}
