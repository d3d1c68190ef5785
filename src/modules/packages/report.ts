import { AppError } from '../../platform/errors.js';

/** A message of a validation report: an i18n key (`namespace:key`) and its parameters, shown in the reader's language. */
export interface PackageMessage {
  key: string;
  params?: Record<string, string | number>;
}

/** One item of an organization (SCORM) or one AU / content (cmi5, H5P), as the report shows it. */
export interface ReportItem {
  id: string;
  title: string;
  /** The launch path relative to the package root (query string kept), or null for a folder-like item. */
  launch: string | null;
  /** e.g. `sco` / `asset` for SCORM; free text for other formats. */
  kind: string | null;
  visible: boolean;
  children: ReportItem[];
}

export interface ReportOrganization {
  id: string;
  title: string;
  isDefault: boolean;
  items: ReportItem[];
}

export interface ReportResource {
  id: string;
  type: string;
  kind: string | null;
  href: string | null;
  files: number;
  dependencies: string[];
}

export interface ReportLaunchFile {
  /** The file checked, relative to the package root, without query or fragment. */
  path: string;
  exists: boolean;
  /** The item that launches it. */
  itemId: string;
}

/** What a format finds in a package: the report's own parts and what the `packages` row takes. */
export interface FormatFindings<M = unknown> {
  /** Short version label, stored in `package_versions.format_version`: `1.2`, `2004 3rd`, `cmi5`, `h5p`. */
  formatVersion: string;
  /** How to name it to people, e.g. `{ key: 'packages:formats.scorm2004', params: { edition: 3 } }`. */
  formatLabel: PackageMessage;
  title: string;
  description: string;
  /** A BCP 47 tag from the manifest, or null. */
  language: string | null;
  /** The parsed manifest as JSON-safe data; stored whole in `package_versions.manifest`. */
  model: M;
  organizations: ReportOrganization[];
  resources: ReportResource[];
  launchFiles: ReportLaunchFile[];
  notices: PackageMessage[];
  warnings: PackageMessage[];
  /** Any error refuses the package: nothing is kept. Say what is wrong and how to fix it. */
  errors: PackageMessage[];
}

/** The validation report the trainer sees, stored in `package_versions.report`. */
export interface PackageReport extends Omit<FormatFindings, 'model' | 'title' | 'description' | 'language'> {
  format: string | null;
  fileName: string;
  title: string;
  /** Files and bytes unpacked. */
  fileCount: number;
  unpackedBytes: number;
}

/** A package refused: the report says why. Nothing of it is kept. */
export class PackageRefused extends AppError {
  constructor(readonly report: PackageReport) {
    super(422, 'packages:refused.title', {}, { errors: report.errors });
  }
}

/** A report of a package that could not even be opened (not a zip, unsafe entries, no manifest). */
export function refusedReport(
  fileName: string,
  errors: PackageMessage[],
  notices: PackageMessage[] = [],
): PackageReport {
  return {
    format: null,
    fileName,
    title: '',
    fileCount: 0,
    unpackedBytes: 0,
    formatVersion: '',
    formatLabel: { key: 'packages:formats.unknown' },
    organizations: [],
    resources: [],
    launchFiles: [],
    notices,
    warnings: [],
    errors,
  };
}

/** A refusal for a problem found before any format looked at the package. */
export const refuse = (fileName: string, key: string, params?: PackageMessage['params']) =>
  new PackageRefused(refusedReport(fileName, [{ key, params }]));
