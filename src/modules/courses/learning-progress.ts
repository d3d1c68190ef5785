import type { Db } from '../../platform/db.js';

// My learning shows each enrolment's progress, which the progress module projects from the LRS. That module
// already uses this one, so it hands its reader in here (as the content modules hand in their renderers).

export interface LearningProgress {
  /** not_started, in_progress, completed, passed or failed */
  status: string;
  progressPct: number;
  /** The activity the learner touched last (its latest statement), where Continue takes them. */
  lastActivityId: string | null;
}

export type LearningProgressReader = (
  db: Db,
  enrolmentIds: string[],
) => Promise<Map<string, LearningProgress>>;

let reader: LearningProgressReader | null = null;

export function registerLearningProgress(r: LearningProgressReader): void {
  reader = r;
}

export const learningProgressOf = (db: Db, enrolmentIds: string[]): Promise<Map<string, LearningProgress>> =>
  reader && enrolmentIds.length ? reader(db, enrolmentIds) : Promise.resolve(new Map());
