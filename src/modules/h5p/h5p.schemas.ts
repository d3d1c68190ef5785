import path from 'node:path/posix';
import { z } from 'zod';

// The H5P file format: h5p.json at the root, content/content.json, and one folder per library
// (`Machine.Name-MAJOR.MINOR/library.json`). Only what playing and installing need is checked strictly.

/** H5P machine names: letters, digits, `.`, `_` and `-` (e.g. `H5P.MultiChoice`, `jQuery.ui`). */
export const MACHINE_NAME = /^[A-Za-z0-9_.-]{1,255}$/;

/** A version part: h5p.json writes them as strings ("1"), library.json as numbers. */
const VersionPart = z.union([
  z.number().int().min(0).max(65535),
  z
    .string()
    .regex(/^\d{1,5}$/)
    .transform(Number),
]);

export const Dependency = z.object({
  machineName: z.string().regex(MACHINE_NAME),
  majorVersion: VersionPart,
  minorVersion: VersionPart,
});
export type Dependency = z.infer<typeof Dependency>;

export const H5pJson = z.looseObject({
  title: z.string().max(1000).default(''),
  mainLibrary: z.string().regex(MACHINE_NAME),
  language: z.string().max(35).optional(),
  license: z.string().max(100).optional(),
  embedTypes: z.array(z.string()).optional(),
  preloadedDependencies: z.array(Dependency).min(1).max(500),
});
export type H5pJson = z.infer<typeof H5pJson>;

const FileRef = z.object({ path: z.string().min(1).max(1000) });

export const LibraryJson = z.looseObject({
  title: z.string().max(1000).default(''),
  machineName: z.string().regex(MACHINE_NAME),
  majorVersion: VersionPart,
  minorVersion: VersionPart,
  patchVersion: VersionPart,
  runnable: z.union([z.number(), z.boolean()]).optional(),
  preloadedJs: z.array(FileRef).max(500).optional(),
  preloadedCss: z.array(FileRef).max(500).optional(),
  preloadedDependencies: z.array(Dependency).max(500).optional(),
  dynamicDependencies: z.array(Dependency).max(500).optional(),
  editorDependencies: z.array(Dependency).max(500).optional(),
});
export type LibraryJson = z.infer<typeof LibraryJson>;

/** `H5P.MultiChoice-1.14`: the folder (and storage) name of a library, without its patch version. */
export const folderOf = (d: { machineName: string; majorVersion: number; minorVersion: number }) =>
  `${d.machineName}-${d.majorVersion}.${d.minorVersion}`;

/** `H5P.MultiChoice 1.14`, as people read it. */
export const labelOf = (d: { machineName: string; majorVersion: number; minorVersion: number }) =>
  `${d.machineName} ${d.majorVersion}.${d.minorVersion}`;

export const FOLDER = /^([A-Za-z0-9_.-]{1,255})-(\d{1,5})\.(\d{1,5})$/;

/**
 * The file a library's preloadedJs / preloadedCss path names inside its folder, or null when it would
 * leave the folder (absolute, `..`, a URL, a backslash or control characters).
 */
export function fileInLibrary(folder: string, rel: string): string | null {
  // eslint-disable-next-line no-control-regex -- control characters are refused
  if (/[\\\u0000-\u001f]/.test(rel) || /^[a-z][a-z0-9+.-]*:/i.test(rel) || rel.startsWith('/')) return null;
  const normal = path.normalize(rel);
  if (normal === '..' || normal.startsWith('../') || normal === '.' || normal.startsWith('/')) return null;
  return `${folder}/${normal}`;
}

/** The shortest readable reason a zod schema refused a JSON document: `patchVersion: …`. */
export function firstIssue(err: z.ZodError): string {
  const issue = err.issues[0];
  if (!issue) return 'invalid';
  const where = issue.path.length ? issue.path.join('.') : '(root)';
  return `${where}: ${issue.message}`.slice(0, 300);
}
