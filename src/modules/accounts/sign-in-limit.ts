import type { Db } from '../../platform/db.js';

export interface SignInLimits {
  maxFailures: number;
  windowMs: number;
}

/** Seconds until another attempt is allowed for this account or this address; 0 when allowed. */
export async function secondsLocked(db: Db, email: string, ip: string, l: SignInLimits): Promise<number> {
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

export const recordFailure = (db: Db, email: string, ip: string) =>
  db('sign_in_failures').insert({ email: email.toLowerCase(), ip });

export const clearFailures = (db: Db, email: string) =>
  db('sign_in_failures').where({ email: email.toLowerCase() }).delete();
