import { TooManyRequests } from '../../platform/errors.js';

/** Counts a request of a client; throws TooManyRequests past its rate. */
export type RateLimit = (clientId: string) => void;

/**
 * Requests per second per LRS client, as a token bucket with a burst of ten seconds' worth.
 * Kept in memory per process: a flood is refused where it lands without a database round trip on
 * every statement; with several processes each one allows the rate (set it accordingly).
 * A rate of 0 turns the limit off.
 */
export function rateLimiter(perSecond: number): RateLimit {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const burst = perSecond * 10;
  return (clientId) => {
    if (perSecond <= 0) return;
    const now = Date.now();
    const b = buckets.get(clientId) ?? { tokens: burst, at: now };
    b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 1000) * perSecond);
    b.at = now;
    if (b.tokens < 1) {
      buckets.set(clientId, b);
      throw new TooManyRequests(Math.max(1, Math.ceil((1 - b.tokens) / perSecond)), 'lrs-statements:tooMany');
    }
    b.tokens -= 1;
    if (buckets.size > 50_000) buckets.clear();
    buckets.set(clientId, b);
  };
}
