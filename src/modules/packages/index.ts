// The packages module: what SCORM, cmi5 and H5P share. Upload (streamed), safe unzip, format detection,
// validation report, storage by id and version, the content origin and signed access to package files.
// Other modules use only what is exported here.

// Formats: the SCORM module registers `scormPackageFormat`; the H5P and cmi5 modules replace the
// built-in placeholders (recognised and named, "not available yet") by registering their own by name.
export {
  registerPackageFormat,
  packageFormats,
  packageFormat,
  type PackageFormat,
  type ExtractedPackage,
  type FormatContext,
  type PackageActor,
  type StoredPackageVersion,
  type AddedToCourse,
} from './formats.js';
export {
  PackageRefused,
  type PackageMessage,
  type PackageReport,
  type FormatFindings,
  type ReportItem,
  type ReportOrganization,
  type ReportResource,
  type ReportLaunchFile,
} from './report.js';

export { reportAsText } from './report-text.js';

// Import: the upload page and `npm run cli -- import-package` both call this.
export { importPackage, type ImportContext, type ImportInput, type ImportResult } from './import.js';

// Packages and versions for players: an attempt keeps the version it started on.
export { versionForAttempt, findPackage, addToCourse } from './packages.service.js';
// Who may edit (and so preview) a package: its owner while a trainer, coordinators and admins; else 404.
export { packageForEditor } from './packages.service.js';
export type { PackageRow, PackageVersionRow, PackageVersionSummary } from './packages.repo.js';
export { packageStorage } from './storage.js';

// The content origin (CONTENT_ORIGIN): package files under short-lived signed paths, player pages.
export { signedContentUrl, contentSigner, encodeFilePath, type ContentSigner } from './content-access.js';
export { createContentApp, registerContentRoutes, type ContentRouteContext } from './content-app.js';
// What the content origin refuses, as a small page in the visitor's language (shown in the player's frame).
export { sendContentProblem } from './content-problem.js';

// The LMS pages (/packages).
export { packagesRoutes } from './packages.routes.js';
