import path from 'node:path/posix';
import type {
  ExtractedPackage,
  FormatFindings,
  PackageFormat,
  PackageMessage,
  ReportItem,
} from '../packages/index.js';
import { flattenItems, parseScormManifest, type ScormItem, type ScormManifest } from './manifest.js';
import { ManifestXmlError } from './manifest-xml.js';
import { registerScoIris } from './launch.service.js';
import { packageModel } from './package-model.js';

const MANIFEST = 'imsmanifest.xml';
const SHOWN = 5;
const EDITION_NAMES = { 2: '2nd', 3: '3rd', 4: '4th' } as const;

const isUrl = (href: string) => /^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//');

/** The file a launch href points at: no query or fragment, percent-decoded, normalised; null if it leaves the package. */
export function launchFilePath(href: string): string | null {
  const bare = href.split(/[?#]/)[0] ?? '';
  let decoded: string;
  try {
    decoded = decodeURIComponent(bare);
  } catch {
    decoded = bare;
  }
  const normal = path.normalize(decoded.replace(/\\/g, '/'));
  if (normal.startsWith('..') || normal.startsWith('/')) return null;
  return normal;
}

const toReportItem = (i: ScormItem): ReportItem => ({
  id: i.identifier,
  title: i.title,
  launch: i.launch,
  kind: i.scormType,
  visible: i.isVisible,
  children: i.children.map(toReportItem),
});

function emptyFindings(errors: PackageMessage[]): FormatFindings<ScormManifest | null> {
  return {
    formatVersion: '',
    formatLabel: { key: 'packages:formats.scorm' },
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
  };
}

/** Reads `imsmanifest.xml`, checks every launch file, and says what a trainer must fix. */
export async function validateScormPackage(
  pkg: ExtractedPackage,
): Promise<FormatFindings<ScormManifest | null>> {
  let parsed;
  try {
    parsed = parseScormManifest(await pkg.readText(MANIFEST));
  } catch (err) {
    if (err instanceof ManifestXmlError)
      return emptyFindings([
        err.reason === 'doctype'
          ? { key: 'packages:scorm.doctype' }
          : { key: 'packages:scorm.malformed', params: { detail: err.message } },
      ]);
    return emptyFindings([{ key: 'packages:scorm.unreadable' }]);
  }
  const { manifest } = parsed;
  const errors: PackageMessage[] = [...parsed.errors];
  const warnings: PackageMessage[] = [...parsed.warnings];
  const resources = new Map(manifest.resources.map((r) => [r.identifier, r]));
  const launchFiles: FormatFindings['launchFiles'] = [];

  const items = manifest.organizations.flatMap((o) => flattenItems(o.items));
  if (!manifest.organizations.length) errors.push({ key: 'packages:scorm.noOrganization' });
  for (const item of items) {
    if (!item.identifierref) continue;
    const resource = resources.get(item.identifierref);
    if (!resource) {
      errors.push({
        key: 'packages:scorm.missingResource',
        params: { item: item.identifier, ref: item.identifierref },
      });
      continue;
    }
    if (!item.launch) {
      errors.push({
        key: 'packages:scorm.resourceNoHref',
        params: { item: item.identifier, ref: item.identifierref },
      });
      continue;
    }
    if (isUrl(item.launch)) {
      warnings.push({
        key: 'packages:scorm.externalLaunch',
        params: { item: item.identifier, url: item.launch },
      });
      continue;
    }
    const file = launchFilePath(item.launch);
    if (file === null) {
      errors.push({
        key: 'packages:scorm.launchOutside',
        params: { item: item.identifier, file: item.launch },
      });
      continue;
    }
    const exists = pkg.files.has(file);
    launchFiles.push({ path: file, exists, itemId: item.identifier });
    if (!exists)
      errors.push({ key: 'packages:scorm.missingLaunchFile', params: { file, item: item.identifier } });
  }
  if (manifest.organizations.length && !launchFiles.length && !errors.length)
    errors.push({ key: 'packages:scorm.noLaunchableItem' });

  const missing = new Set<string>();
  for (const r of manifest.resources) {
    for (const f of r.files) {
      const p = isUrl(f) ? null : launchFilePath(f);
      if (p && !pkg.files.has(p)) missing.add(p);
    }
    for (const d of r.dependencies)
      if (!resources.has(d))
        warnings.push({
          key: 'packages:scorm.missingDependency',
          params: { resource: r.identifier, ref: d },
        });
  }
  if (missing.size)
    warnings.push({
      key: 'packages:scorm.missingFiles',
      params: { count: missing.size, names: [...missing].slice(0, SHOWN).join(', ') },
    });
  if (manifest.version === '1.2') warnings.push({ key: 'packages:scorm.suspendData12' });

  let title = manifest.title;
  if (!title) {
    title = pkg.fileName.replace(/\.[^.]+$/, '');
    warnings.push({ key: 'packages:scorm.noTitle' });
  }
  return {
    formatVersion: manifest.version === '1.2' ? '1.2' : `2004 ${EDITION_NAMES[manifest.edition ?? 4]}`,
    formatLabel:
      manifest.version === '1.2'
        ? { key: 'packages:formats.scorm12' }
        : { key: 'packages:formats.scorm2004', params: { edition: manifest.edition ?? 4 } },
    title,
    description: manifest.description,
    language: manifest.language,
    model: manifest,
    organizations: manifest.organizations.map((o) => ({
      id: o.identifier,
      title: o.title,
      isDefault: o.identifier === manifest.defaultOrganization,
      items: o.items.map(toReportItem),
    })),
    resources: manifest.resources.map((r) => ({
      id: r.identifier,
      type: r.type,
      kind: r.scormType,
      href: r.resolvedHref,
      files: r.files.length,
      dependencies: r.dependencies,
    })),
    launchFiles,
    notices: [],
    warnings,
    errors,
  };
}

/** SCORM 1.2 and 2004 packages: register with `registerPackageFormat(scormPackageFormat)`. */
export const scormPackageFormat: PackageFormat<ScormManifest | null> = {
  name: 'scorm',
  manifestFile: MANIFEST,
  priority: 30,
  validate: (pkg) => validateScormPackage(pkg),
  // every SCO counts for progress from the start, launched or not
  addedToCourse: async (trx, added, config) =>
    registerScoIris(trx, config, added.activityId, await packageModel(trx, added.packageId, added.version)),
};
