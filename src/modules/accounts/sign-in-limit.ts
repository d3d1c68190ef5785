import type { Db } from '../../platform/db.js';

export interface SignInLimits {
  maxFailures: number;
  windowMs: number;
}

// Advisory-lock namespaces (the two-key form): one per account, one per address.
const ACCOUNT_LOCK = 7_301;
const ADDRESS_LOCK = 7_302;

/** Seconds until another attempt is allowed for this account or this address; 0 when allowed. */
async function secondsLocked(db: Db, email: string, ip: string, l: SignInLimits): Promise<number> {
  const since = new Date(Date.now() - l.windowMs);
  const oldestCounted = async (column: 'email' | 'ip', value: string, max: number) => {
    const rows: { created_at: Date }[] = await db('sign_in_failures')
      .where(column, value)
      .where('created_at', '>', since)
      .orderBy('created_at', 'desc')
      .limit(max)
      .select('created_at');
    return rows.length >= max ? rows[rows.length - 1]!.created_at : null;
  };
  // An address may carry a whole office behind one NAT: it gets more room than one account.
  const hits = [
    await oldestCounted('email', email.toLowerCase(), l.maxFailures),
    await oldestCounted('ip', ip, l.maxFailures * 4),
  ].filter((d): d is Date => d !== null);
  if (!hits.length) return 0;
  const until = Math.max(...hits.map((d) => new Date(d).getTime() + l.windowMs));
  return Math.max(1, Math.ceil((until - Date.now()) / 1000));
}

/**
 * Records the attempt as a failure before its password is checked (clearFailures takes it back on success),
 * so parallel guesses cannot overtake the limit. Returns 0 when recorded, else the seconds until another
 * attempt is allowed. The locks cover this count and insert only, never a password check.
 */
export const reserveAttempt = (db: Db, email: string, ip: string, l: SignInLimits): Promise<number> =>
  db.transaction(async (trx) => {
    // Always account first, then address: no two attempts wait for each other in a circle.
    await trx.raw('select pg_advisory_xact_lock(?, hashtext(?))', [ACCOUNT_LOCK, email.toLowerCase()]);
    await trx.raw('select pg_advisory_xact_lock(?, hashtext(?))', [ADDRESS_LOCK, ip]);
    const locked = await secondsLocked(trx, email, ip, l);
    if (!locked) await trx('sign_in_failures').insert({ email: email.toLowerCase(), ip });
    return locked;
  });

export const clearFailures = (db: Db, email: string) =>
  db('sign_in_failures').where({ email: email.toLowerCase() }).delete();

/** Failures that count toward no limit any more: older than the window, and a day at least (housekeeping). */
export const purgeOldFailures = (db: Db, windowMs: number) =>
  db('sign_in_failures')
    .where('created_at', '<', new Date(Date.now() - Math.max(windowMs, 24 * 3600_000)))
    .delete();
