import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../platform/db.js';

export type TokenPurpose = 'password_reset' | 'invitation';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Makes a token for a mailed link; only its hash is stored. Older tokens of that purpose stop working. */
export async function issueToken(
  db: Db,
  userId: string,
  purpose: TokenPurpose,
  ttlMs: number,
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await db('one_time_tokens').where({ user_id: userId, purpose }).whereNull('used_at').delete();
  await db('one_time_tokens').insert({
    user_id: userId,
    purpose,
    token_hash: sha256(token),
    expires_at: new Date(Date.now() + ttlMs),
  });
  return token;
}

/** The user id of a valid, unused token, without using it. */
export async function peekToken(db: Db, token: string, purpose: TokenPurpose): Promise<string | null> {
  const row = await db('one_time_tokens')
    .where({ token_hash: sha256(token), purpose })
    .whereNull('used_at')
    .where('expires_at', '>', new Date())
    .first('user_id');
  return (row as { user_id: string } | undefined)?.user_id ?? null;
}

/** Uses the token once; a second use finds nothing. */
export async function consumeToken(db: Db, token: string, purpose: TokenPurpose): Promise<string | null> {
  const rows: { user_id: string }[] = await db('one_time_tokens')
    .where({ token_hash: sha256(token), purpose })
    .whereNull('used_at')
    .where('expires_at', '>', new Date())
    .update({ used_at: db.fn.now(), updated_at: db.fn.now() })
    .returning('user_id');
  return rows[0]?.user_id ?? null;
}

/** A disabled user's mailed links stop working: an old link must not bring the account back. */
export const deleteUnusedTokens = (db: Db, userId: string) =>
  db('one_time_tokens').where({ user_id: userId }).whereNull('used_at').delete();

/** Links used or expired for a day are of no use to anyone (housekeeping). */
export const purgeSpentTokens = (db: Db) =>
  db('one_time_tokens')
    .where('expires_at', '<', db.raw("now() - interval '1 day'"))
    .orWhere('used_at', '<', db.raw("now() - interval '1 day'"))
    .delete();
