import type { Router } from 'express';
import type { AppContext } from '../../platform/context.js';
import { registerLearningProgress } from '../courses/index.js';
import { onStatementsStored } from '../lrs/index.js';
import { projectStatements } from './projection.service.js';
import { learningProgress } from './reports.repo.js';
import { reportsRoutes } from './reports.routes.js';

export {
  registerActivityIri,
  registerIriResolver,
  rebuildProgress,
  onCompletion,
  settleCompletions,
  type IriResolver,
  type CompletionHandler,
} from './projection.service.js';
export { findRule, type CompletionRule, type CompletionMet } from './rules.repo.js';
export { enrolmentProgress } from './reports.repo.js';

let hooked = false;

/** Projections of the LRS (one hook per process), completion rules and the report pages (/reports). */
export function progressModule(ctx: AppContext): Router[] {
  ensureProjectionHook();
  registerLearningProgress(learningProgress);
  return [reportsRoutes(ctx)];
}

/** Projects stored statements in their transaction; registered once per process, however many apps a process builds. */
export function ensureProjectionHook(): void {
  if (hooked) return;
  hooked = true;
  // statements of registrations that are no enrolment's have nothing to project
  onStatementsStored((trx, stored) => projectStatements(trx, stored), {
    registrationsIn: { table: 'enrolments', column: 'registration' },
  });
}
