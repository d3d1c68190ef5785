import fs from 'node:fs/promises';
import path from 'node:path';
import {
  PackageRefused,
  type ExtractedPackage,
  type FormatContext,
  type FormatFindings,
  type PackageFormat,
  type PackageMessage,
} from '../packages/index.js';
import {
  Dependency,
  FOLDER,
  H5pJson,
  LibraryJson,
  fileInLibrary,
  firstIssue,
  folderOf,
  labelOf,
} from './h5p.schemas.js';
import {
  LibrariesChanged,
  installedFolders,
  mayInstallLibraries,
  planLibraries,
  storeLibraries,
  whoMayInstall,
  type PackagedLibrary,
} from './libraries.service.js';
import type { LibraryKey } from './libraries.repo.js';

const MAX_LIBRARIES = 400;
const MAX_ERRORS = 25;
const SHOWN = 8;

/** What `package_versions.manifest` keeps of an H5P package. */
export interface H5pModel {
  title: string;
  language: string | null;
  license: string | null;
  mainLibrary: LibraryKey;
  /** h5p.json's preloadedDependencies: what the player loads, from the shared libraries. */
  dependencies: LibraryKey[];
  /** The libraries the package brought, with their patch versions. */
  libraries: (LibraryKey & { patchVersion: number })[];
}

type Findings = FormatFindings<H5pModel | null>;

const names = (list: string[]) =>
  list.slice(0, SHOWN).join(', ') + (list.length > SHOWN ? ` (+${list.length - SHOWN})` : '');

function findings(errors: PackageMessage[], more: Partial<Findings> = {}): Findings {
  return {
    formatVersion: 'h5p',
    formatLabel: { key: 'packages:formats.h5p' },
    title: '',
    description: '',
    language: null,
    model: null,
    organizations: [],
    resources: [],
    launchFiles: [],
    notices: [],
    warnings: [],
    errors,
    ...more,
  };
}

/** Parses a JSON file of the package; the error names the file and what is wrong. */
async function readJson(pkg: ExtractedPackage, file: string, errors: PackageMessage[]): Promise<unknown> {
  try {
    return JSON.parse(await pkg.readText(file, 16 * 1024 * 1024)) as unknown;
  } catch (err) {
    const detail = err instanceof Error ? err.message.slice(0, 200) : 'unreadable';
    errors.push({ key: 'h5p:errors.invalidJson', params: { file, detail } });
    return undefined;
  }
}

/** Top-level folders (libraries and `content`) and top-level files of the package. */
function layout(pkg: ExtractedPackage) {
  const folders = new Map<string, number>();
  const rootFiles: string[] = [];
  for (const f of pkg.files) {
    const at = f.indexOf('/');
    if (at < 0) rootFiles.push(f);
    else folders.set(f.slice(0, at), (folders.get(f.slice(0, at)) ?? 0) + 1);
  }
  return { folders, rootFiles: rootFiles.filter((f) => f !== 'h5p.json').sort() };
}

/** Reads and checks one library folder: library.json, its name, and every preloaded JS and CSS file. */
async function readLibrary(
  pkg: ExtractedPackage,
  folder: string,
  errors: PackageMessage[],
): Promise<PackagedLibrary | null> {
  const file = `${folder}/library.json`;
  if (!pkg.files.has(file)) {
    errors.push({ key: 'h5p:errors.noLibraryJson', params: { folder } });
    return null;
  }
  const raw = await readJson(pkg, file, errors);
  if (raw === undefined) return null;
  const parsed = LibraryJson.safeParse(raw);
  if (!parsed.success) {
    errors.push({ key: 'h5p:errors.libraryInvalid', params: { folder, detail: firstIssue(parsed.error) } });
    return null;
  }
  const json = parsed.data;
  if (folderOf(json) !== folder) {
    errors.push({ key: 'h5p:errors.folderMismatch', params: { folder, expected: folderOf(json) } });
    return null;
  }
  let ok = true;
  for (const ref of [...(json.preloadedJs ?? []), ...(json.preloadedCss ?? [])]) {
    const inside = fileInLibrary(folder, ref.path);
    if (!inside) {
      errors.push({ key: 'h5p:errors.libraryFileEscapes', params: { folder, file: ref.path.slice(0, 200) } });
      ok = false;
    } else if (!pkg.files.has(inside)) {
      errors.push({ key: 'h5p:errors.libraryFileMissing', params: { folder, file: ref.path.slice(0, 200) } });
      ok = false;
    }
  }
  return ok ? { folder, json } : null;
}

/** Reads h5p.json, content/content.json and every library.json; says what must be fixed. */
export async function validateH5pPackage(pkg: ExtractedPackage, ctx: FormatContext): Promise<Findings> {
  const errors: PackageMessage[] = [];
  const warnings: PackageMessage[] = [];
  const notices: PackageMessage[] = [];

  const rawH5p = await readJson(pkg, 'h5p.json', errors);
  if (rawH5p === undefined) return findings(errors);
  const h5pParsed = H5pJson.safeParse(rawH5p);
  if (!h5pParsed.success)
    return findings([{ key: 'h5p:errors.h5pJsonInvalid', params: { detail: firstIssue(h5pParsed.error) } }]);
  const h5p = h5pParsed.data;
  const main = h5p.preloadedDependencies.find((d) => d.machineName === h5p.mainLibrary);
  if (!main) errors.push({ key: 'h5p:errors.mainLibraryNotListed', params: { library: h5p.mainLibrary } });

  if (!pkg.files.has('content/content.json')) errors.push({ key: 'h5p:errors.noContentJson' });
  else {
    const content = await readJson(pkg, 'content/content.json', errors);
    if (content !== undefined && (typeof content !== 'object' || content === null || Array.isArray(content)))
      errors.push({ key: 'h5p:errors.contentJsonNotObject' });
  }

  const { folders, rootFiles } = layout(pkg);
  const libraryFolders = [...folders.keys()].filter((f) => f !== 'content').sort();
  if (libraryFolders.length > MAX_LIBRARIES)
    return findings([{ key: 'h5p:errors.tooManyLibraries', params: { max: MAX_LIBRARIES } }]);
  const libs: PackagedLibrary[] = [];
  for (const folder of libraryFolders) {
    if (!FOLDER.test(folder)) {
      errors.push({ key: 'h5p:errors.notALibraryFolder', params: { folder } });
      continue;
    }
    const lib = await readLibrary(pkg, folder, errors);
    if (lib) libs.push(lib);
  }

  // Every declared dependency is in the package or installed already.
  const packaged = new Set(libs.map((l) => l.folder));
  const needed = new Map<string, Dependency>();
  for (const d of h5p.preloadedDependencies) needed.set(folderOf(d), d);
  for (const l of libs)
    for (const d of [
      ...(l.json.preloadedDependencies ?? []),
      ...(l.json.dynamicDependencies ?? []),
      ...(l.json.editorDependencies ?? []),
    ])
      needed.set(folderOf(d), d);
  const installed = await installedFolders(
    ctx.db,
    [...needed.values()].filter((d) => !packaged.has(folderOf(d))),
  );
  const available = (d: Dependency) => packaged.has(folderOf(d)) || installed.has(folderOf(d));
  for (const d of h5p.preloadedDependencies)
    if (!available(d))
      errors.push({
        key: 'h5p:errors.dependencyMissing',
        params: { library: 'h5p.json', dependency: labelOf(d) },
      });
  for (const l of libs) {
    for (const d of [...(l.json.preloadedDependencies ?? []), ...(l.json.dynamicDependencies ?? [])])
      if (!available(d))
        errors.push({
          key: 'h5p:errors.dependencyMissing',
          params: { library: labelOf(l.json), dependency: labelOf(d) },
        });
    for (const d of l.json.editorDependencies ?? [])
      if (!available(d))
        warnings.push({
          key: 'h5p:report.editorDependencyMissing',
          params: { library: labelOf(l.json), dependency: labelOf(d) },
        });
  }

  // What would be installed, and whether this user may.
  const plan = await planLibraries(ctx.db, libs);
  const fresh = plan.filter((p) => p.action === 'install').map((p) => labelOf(p.json));
  const upgrades = plan
    .filter((p) => p.action === 'upgrade')
    .map((p) => `${labelOf(p.json)}.${p.installedPatch} → ${p.json.patchVersion}`);
  const reused = plan.filter((p) => p.action === 'installed' || p.action === 'older').length;
  const mayInstall = await mayInstallLibraries(ctx.db, ctx.actor);
  if (fresh.length && !mayInstall) {
    const who = await whoMayInstall(ctx.db);
    errors.push({
      key: who.length ? 'h5p:errors.mayNotInstall' : 'h5p:errors.mayNotInstallNobody',
      params: { count: fresh.length, names: names(fresh), who: who.join(', ') },
    });
  } else if (fresh.length)
    notices.push({ key: 'h5p:report.librariesNew', params: { count: fresh.length, names: names(fresh) } });
  if (upgrades.length)
    (mayInstall ? notices : warnings).push({
      key: mayInstall ? 'h5p:report.librariesUpgraded' : 'h5p:report.upgradeNotAllowed',
      params: { count: upgrades.length, names: names(upgrades) },
    });
  if (reused) notices.push({ key: 'h5p:report.librariesShared', params: { count: reused } });
  if (rootFiles.length)
    notices.push({
      key: 'h5p:report.strayFiles',
      params: { count: rootFiles.length, names: names(rootFiles) },
    });

  if (errors.length > MAX_ERRORS) {
    const more = errors.length - MAX_ERRORS;
    errors.splice(MAX_ERRORS, more, { key: 'h5p:errors.more', params: { count: more } });
  }
  const title = h5p.title.trim() || pkg.fileName.replace(/\.[^.]+$/, '');
  if (!h5p.title.trim()) warnings.push({ key: 'h5p:report.noTitle' });
  const language = h5p.language && h5p.language !== 'und' ? h5p.language : null;
  const mainKey = main ?? { machineName: h5p.mainLibrary, majorVersion: 0, minorVersion: 0 };
  return findings(errors, {
    title,
    language,
    model: {
      title,
      language,
      license: h5p.license ?? null,
      mainLibrary: {
        machineName: mainKey.machineName,
        majorVersion: mainKey.majorVersion,
        minorVersion: mainKey.minorVersion,
      },
      dependencies: h5p.preloadedDependencies.map((d) => ({
        machineName: d.machineName,
        majorVersion: d.majorVersion,
        minorVersion: d.minorVersion,
      })),
      libraries: libs.map((l) => ({
        machineName: l.json.machineName,
        majorVersion: l.json.majorVersion,
        minorVersion: l.json.minorVersion,
        patchVersion: l.json.patchVersion,
      })),
    },
    organizations: [
      {
        id: 'content',
        title,
        isDefault: true,
        items: [{ id: 'content', title, launch: null, kind: labelOf(mainKey), visible: true, children: [] }],
      },
    ],
    resources: libs.map((l) => ({
      id: `${labelOf(l.json)}.${l.json.patchVersion}`,
      type: 'library',
      kind: null,
      href: null,
      files: folders.get(l.folder) ?? 0,
      dependencies: (l.json.preloadedDependencies ?? []).map(labelOf),
    })),
    launchFiles: [
      { path: 'h5p.json', exists: true, itemId: 'content' },
      { path: 'content/content.json', exists: pkg.files.has('content/content.json'), itemId: 'content' },
    ],
    notices,
    warnings,
  });
}

/** Libraries move to the shared library storage; stray root files are dropped; the rest is the content. */
async function storeH5pPackage(
  trx: Parameters<NonNullable<PackageFormat['store']>>[0],
  pkg: ExtractedPackage,
  ctx: FormatContext,
): Promise<void> {
  const { rootFiles, folders } = layout(pkg);
  const libs: PackagedLibrary[] = [];
  for (const folder of [...folders.keys()].filter((f) => f !== 'content')) {
    const json = LibraryJson.parse(JSON.parse(await pkg.readText(`${folder}/library.json`)));
    libs.push({ folder, json });
  }
  try {
    await storeLibraries(trx, ctx.storage, pkg.dir, libs, ctx.actor);
  } catch (err) {
    if (!(err instanceof LibrariesChanged)) throw err;
    const refusal = findings([
      { key: 'h5p:errors.librariesChanged', params: { count: err.labels.length, names: names(err.labels) } },
    ]);
    throw new PackageRefused({
      ...refusal,
      format: 'h5p',
      fileName: pkg.fileName,
      fileCount: 0,
      unpackedBytes: 0,
    });
  }
  for (const f of rootFiles) await fs.rm(path.join(pkg.dir, f), { force: true });
}

/** H5P packages (`.h5p`): registered with the packages module by the H5P module. */
export const h5pPackageFormat: PackageFormat<H5pModel | null> = {
  name: 'h5p',
  manifestFile: 'h5p.json',
  priority: 10,
  validate: (pkg, ctx) => validateH5pPackage(pkg, ctx),
  store: (trx, _stored, pkg, ctx) => storeH5pPackage(trx, pkg, ctx),
};
