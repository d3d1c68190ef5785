import type { Db } from './db.js';
import type { Logger } from './logger.js';

/** A clean-up that deletes what nobody can use any more (expired sessions, used links …). */
export interface Chore {
  name: string;
  run(db: Db): Promise<unknown>;
}

const HOUR = 3600_000;

/** Runs each chore once; one that fails is logged and does not stop the others. */
export async function runChores(db: Db, logger: Logger, chores: Chore[]): Promise<void> {
  for (const chore of chores) {
    try {
      await chore.run(db);
    } catch (err) {
      logger.warn({ err, chore: chore.name }, 'housekeeping chore failed');
    }
  }
}

/** Runs the chores now and then every hour in this process; returns the stop. */
export function startHousekeeping(db: Db, logger: Logger, chores: Chore[]): () => void {
  void runChores(db, logger, chores);
  const timer = setInterval(() => void runChores(db, logger, chores), HOUR);
  timer.unref();
  return () => clearInterval(timer);
}
