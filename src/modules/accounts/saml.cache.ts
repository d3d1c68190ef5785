import type { CacheItem, CacheProvider } from '@node-saml/passport-saml';
import type { Db } from '../../platform/db.js';

export type SamlRequestKind = 'authn' | 'logout';

/**
 * node-saml's InResponseTo cache, in the database so that a response may reach any process.
 * Sign-in and logout request ids are kept apart: one can never answer the other.
 */
export function databaseCache(db: Db, kind: SamlRequestKind, ttlMs: number): CacheProvider {
  return {
    async saveAsync(key: string, value: string): Promise<CacheItem | null> {
      const createdAt = Date.now();
      await purgeExpired(db);
      const rows = await db('saml_requests')
        .insert({ id: key, kind, value, expires_at: new Date(createdAt + ttlMs) })
        .onConflict('id')
        .ignore()
        .returning('id');
      return rows.length ? { value, createdAt } : null;
    },
    async getAsync(key: string): Promise<string | null> {
      const row = (await db('saml_requests')
        .where({ id: key, kind })
        .where('expires_at', '>', new Date())
        .first('value')) as { value: string } | undefined;
      return row?.value ?? null;
    },
    async removeAsync(key: string | null): Promise<string | null> {
      if (!key) return null;
      const rows: { value: string }[] = await db('saml_requests')
        .where({ id: key, kind })
        .delete()
        .returning('value');
      return rows[0]?.value ?? null;
    },
  };
}

/** True when an assertion with this id was accepted before and has not expired yet. */
export async function assertionSeen(db: Db, id: string): Promise<boolean> {
  const row: unknown = await db('saml_seen_assertions')
    .where({ id })
    .where('expires_at', '>', new Date())
    .first('id');
  return row !== undefined;
}

/** Records an accepted assertion; false when it had been accepted already (a replay, maybe in another process). */
export async function recordAssertion(db: Db, id: string, expiresAt: Date): Promise<boolean> {
  await db('saml_seen_assertions').where({ id }).where('expires_at', '<=', new Date()).delete();
  const rows = await db('saml_seen_assertions')
    .insert({ id, expires_at: expiresAt })
    .onConflict('id')
    .ignore()
    .returning('id');
  return rows.length > 0;
}

export async function purgeExpired(db: Db): Promise<void> {
  const now = new Date();
  await db('saml_requests').where('expires_at', '<=', now).delete();
  await db('saml_seen_assertions').where('expires_at', '<=', now).delete();
  await db('saml_pending_links').where('expires_at', '<=', now).delete();
}
