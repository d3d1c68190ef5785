import fs from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../../platform/config.js';
import type { Db } from '../../platform/db.js';
import type { FileStorage } from '../../platform/storage.js';
import type { FormatFindings } from './report.js';

/** An unpacked package in its staging folder, before anything of it is kept. */
export interface ExtractedPackage {
  /** Local folder of the package root (a single top folder already taken as the root). */
  dir: string;
  /** Every file, relative to the root, `/`-separated, exactly as stored (case kept). */
  files: ReadonlySet<string>;
  /** The uploaded file's name, e.g. `course.zip` or `quiz.h5p`. */
  fileName: string;
  /** Reads a text file of the package (UTF-8, a BOM removed); refuses files larger than `maxBytes`. */
  readText(relPath: string, maxBytes?: number): Promise<string>;
}

/** Who imports the package; formats decide with it (e.g. who may install H5P libraries). */
export interface PackageActor {
  id: string;
  roles: readonly string[];
}

export interface FormatContext {
  db: Db;
  config: Config;
  storage: FileStorage;
  actor: PackageActor;
}

/** What `store` gets: the rows just written, inside the import transaction. */
export interface StoredPackageVersion {
  packageId: string;
  version: number;
  /** Storage key of the version's files: `<packageId>/<version>`. */
  storageKey: string;
}

/**
 * A package format. The packages module unpacks safely, finds the format by its manifest file at the
 * root, asks it to validate, stores files and rows, and shows the report; a format adds what is its own.
 */
export interface PackageFormat<M = unknown> {
  /** Also the activity kind a package of this format becomes: `scorm`, `cmi5`, `h5p`. */
  name: string;
  /** The file at the package root that marks this format: `imsmanifest.xml`, `cmi5.xml`, `h5p.json`. */
  manifestFile: string;
  /** Lower goes first when a package has several manifests. */
  priority: number;
  /** Optional finer test than the manifest file's presence. */
  detect?(pkg: ExtractedPackage): boolean;
  /** Reads and checks the package; package problems go into `errors`, never thrown. */
  validate(pkg: ExtractedPackage, ctx: FormatContext): Promise<FormatFindings<M>>;
  /**
   * Runs inside the import transaction after the rows are written and before the files are published
   * (e.g. H5P moves its libraries out of `pkg.dir` into shared storage). Throwing refuses the import.
   */
  store?(trx: Db, stored: StoredPackageVersion, pkg: ExtractedPackage, ctx: FormatContext): Promise<void>;
  /**
   * Runs in the transaction that makes a package an activity of a course: registers with progress what the
   * activity tracks (e.g. one IRI per SCO), so that content nobody has opened yet counts.
   */
  addedToCourse?(trx: Db, added: AddedToCourse, config: Config): Promise<void>;
}

/** A package (its latest version) just added to a course as `activityId`. */
export interface AddedToCourse {
  activityId: string;
  packageId: string;
  version: number;
}

const registry = new Map<string, PackageFormat>();

/** Adds a format, or replaces the one of the same name (the H5P module replaces the built-in placeholder). */
export function registerPackageFormat<M>(format: PackageFormat<M>): void {
  registry.set(format.name, format as PackageFormat);
}

export const packageFormats = (): PackageFormat[] =>
  [...registry.values()].sort((a, b) => a.priority - b.priority);

export const packageFormat = (name: string): PackageFormat | undefined => registry.get(name);

/** The format of an unpacked package, or null when no manifest of a known format is at its root. */
export function detectFormat(pkg: ExtractedPackage): PackageFormat | null {
  return packageFormats().find((f) => pkg.files.has(f.manifestFile) && (f.detect?.(pkg) ?? true)) ?? null;
}

/** Manifest files that mark a package root, for the single-top-folder rule. */
export const manifestFiles = () => new Set(packageFormats().map((f) => f.manifestFile));

export function extractedPackage(
  dir: string,
  files: ReadonlySet<string>,
  fileName: string,
): ExtractedPackage {
  return {
    dir,
    files,
    fileName,
    async readText(relPath, maxBytes = 8 * 1024 * 1024) {
      if (!files.has(relPath)) throw new Error(`no such file in the package: ${relPath}`);
      const full = path.join(dir, ...relPath.split('/'));
      const stat = await fs.stat(full);
      if (stat.size > maxBytes) throw new Error(`${relPath} is larger than ${maxBytes} bytes`);
      return (await fs.readFile(full, 'utf8')).replace(/^\uFEFF/, '');
    },
  };
}

const notYet = (name: string, manifestFile: string, priority: number): PackageFormat<null> => ({
  name,
  manifestFile,
  priority,
  async validate() {
    return {
      formatVersion: name,
      formatLabel: { key: `packages:formats.${name}` },
      title: '',
      description: '',
      language: null,
      model: null,
      organizations: [],
      resources: [],
      launchFiles: [],
      notices: [],
      warnings: [],
      errors: [{ key: 'packages:errors.formatNotYet', params: { format: name === 'h5p' ? 'H5P' : name } }],
    };
  },
});

// Recognised and named before their modules land; the cmi5 and H5P modules register the real ones.
registerPackageFormat(notYet('h5p', 'h5p.json', 10));
registerPackageFormat(notYet('cmi5', 'cmi5.xml', 20));
