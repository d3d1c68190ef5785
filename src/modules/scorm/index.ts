// The SCORM module: the imsmanifest.xml model and parser, the SCORM package format that the packages module
// uses to validate uploads, the player (LMS page + player page on the content origin), attempts and CMI data,
// and SCORM → xAPI. See README.md.
import type { Router } from 'express';
import type { AppContext } from '../../platform/context.js';
import { registerActivityLauncher } from '../courses/index.js';
import { registerContentRoutes } from '../packages/index.js';
import { scormContentRoutes } from './content.routes.js';
import { SCORM_KIND } from './launch.service.js';
import { scormPlayerRoutes } from './player.routes.js';

export { parseScormManifest, flattenItems, withParameters } from './manifest.js';
export type {
  ScormManifest,
  ScormOrganization,
  ScormItem,
  ScormResource,
  ScormVersion,
  Scorm2004Edition,
  CompletionThreshold,
  SharedDataMap,
  ParsedManifest,
  ManifestProblem,
} from './manifest.js';
export { effectiveSequencing } from './manifest-sequencing.js';
export type {
  Sequencing,
  SequencingRule,
  RuleCondition,
  RollupRule,
  RollupCondition,
  Objective,
  ObjectiveMapInfo,
  AdlObjectiveMapInfo,
} from './manifest-sequencing.js';
export { ManifestXmlError, parseXmlRefusingDoctype } from './manifest-xml.js';
export { scormPackageFormat, validateScormPackage, launchFilePath } from './manifest-format.js';
export { activityTree, type ActivityTreeSettings } from './sequencing-settings.js';
export { scormRuntimeRoutes } from './runtime.routes.js';
export { registerScoIris, SCORM_KIND } from './launch.service.js';
export { courseIri as scormCourseIri, scoIri as scormScoIri } from './statements.js';

let contentRegistered = false;

/**
 * The LMS pages of SCORM activities (/courses/:slug/activities/:id/scorm, /scorm/preview/:packageId) and the
 * player page on the content origin. Mount `scormRuntimeRoutes` (the player's commits) before the session.
 */
export function scormModule(ctx: AppContext): Router[] {
  registerActivityLauncher(
    SCORM_KIND,
    (course, activity) => `/courses/${course.slug}/activities/${activity.id}/scorm`,
  );
  if (!contentRegistered) {
    contentRegistered = true;
    registerContentRoutes(scormContentRoutes);
  }
  return [scormPlayerRoutes(ctx)];
}
