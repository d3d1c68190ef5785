import type { Config } from '../../platform/config.js';
import type { Chore } from '../../platform/housekeeping.js';
import { purgeSpentTokens } from './one-time-tokens.js';
import { purgeOldFailures } from './sign-in-limit.js';

/** What accounts leave behind that nobody can use any more. */
export const accountChores = (config: Pick<Config, 'signInWindowMs'>): Chore[] => [
  { name: 'spent mailed links', run: purgeSpentTokens },
  { name: 'old sign-in failures', run: (db) => purgeOldFailures(db, config.signInWindowMs) },
];
