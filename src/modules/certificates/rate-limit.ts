import type { Db } from '../../platform/db.js';
import { TooManyRequests } from '../../platform/errors.js';

// Verification lookups per client address and minute, counted in the database so that the limit holds
// across processes behind a load balancer (sessions and rate limits live in PostgreSQL, DESIGN.md).
export const VERIFY_LIMIT_PER_MINUTE = 30;

export async function countVerification(db: Db, ip: string, limit = VERIFY_LIMIT_PER_MINUTE): Promise<void> {
  const res = (await db.raw(
    `insert into certificate_checks (ip, window_start, hits) values (?, date_trunc('minute', now()), 1)
     on conflict (ip, window_start) do update set hits = certificate_checks.hits + 1
     returning hits, extract(epoch from (date_trunc('minute', now()) + interval '1 minute' - now())) as rest`,
    [ip],
  )) as { rows: { hits: number; rest: string | number }[] };
  const { hits, rest } = res.rows[0]!;
  if (Math.random() < 0.01)
    await db('certificate_checks').where('window_start', '<', db.raw("now() - interval '1 hour'")).delete();
  if (hits > limit)
    throw new TooManyRequests(Math.max(1, Math.ceil(Number(rest))), 'certificates:verify.tooMany');
}
