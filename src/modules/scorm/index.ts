// The SCORM module. So far: the imsmanifest.xml model and parser, and the SCORM package format that the
// packages module uses to validate uploads. The player, attempts and CMI data come next.
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
