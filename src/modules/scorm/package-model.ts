import type { Db } from '../../platform/db.js';
import { NotFound } from '../../platform/errors.js';
import { flattenItems, type ScormItem, type ScormManifest, type ScormOrganization } from './manifest.js';
import { activityTree, type ActivityTreeSettings } from './sequencing-settings.js';

/** What the player and the runtime need of one package version, read once and kept for a minute. */
export interface PackageModel {
  packageId: string;
  version: number;
  title: string;
  /** A language tag for xAPI names: the package's, else `und`. */
  lang: string;
  manifest: ScormManifest;
  organization: ScormOrganization;
  /** Every item of the organization by identifier. */
  items: Map<string, ScormItem>;
  /** Items that launch something, in tree order (SCORM 1.2 flow, and the TOC's order). */
  launchable: ScormItem[];
  /** SCORM 2004: the activity tree handed to scorm-again's sequencing. */
  tree: ActivityTreeSettings | null;
}

const TTL_MS = 60_000;
const MAX = 200;
const cache = new Map<string, { at: number; model: PackageModel }>();

const LANG = /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/;

export function buildModel(
  packageId: string,
  version: number,
  pkg: { title: string; language: string | null },
  manifest: ScormManifest,
): PackageModel {
  const organization =
    manifest.organizations.find((o) => o.identifier === manifest.defaultOrganization) ??
    manifest.organizations[0];
  if (!organization) throw new NotFound('package');
  const all = flattenItems(organization.items);
  return {
    packageId,
    version,
    title: pkg.title,
    lang: pkg.language && LANG.test(pkg.language) ? pkg.language : 'und',
    manifest,
    organization,
    items: new Map(all.map((i) => [i.identifier, i])),
    launchable: all.filter((i) => i.launch !== null),
    tree: manifest.version === '2004' ? activityTree(manifest, organization) : null,
  };
}

/** The model of a package version (SCORM only); NotFound when it does not exist. */
export async function packageModel(db: Db, packageId: string, version: number): Promise<PackageModel> {
  const key = `${packageId}/${version}`;
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.model;
  const row = (await db('package_versions as v')
    .join('packages as p', 'p.id', 'v.package_id')
    .where({ 'v.package_id': packageId, 'v.version': version, 'p.format': 'scorm' })
    .first('v.manifest', 'p.title', 'p.language')) as
    { manifest: ScormManifest | null; title: string; language: string | null } | undefined;
  if (!row?.manifest) throw new NotFound('package');
  const model = buildModel(packageId, version, row, row.manifest);
  if (cache.size >= MAX) cache.delete(cache.keys().next().value!);
  cache.set(key, { at: Date.now(), model });
  return model;
}

/** SCORM 2004: the scaled passing score the manifest gives the SCO (primary objective satisfied by measure). */
export function scaledPassingScore(model: PackageModel, itemId: string): number | undefined {
  const find = (node: ActivityTreeSettings | undefined): ActivityTreeSettings | undefined => {
    if (!node) return undefined;
    if (node.id === itemId) return node;
    for (const c of node.children ?? []) {
      const f = find(c);
      if (f) return f;
    }
    return undefined;
  };
  const primary = find(model.tree ?? undefined)?.primaryObjective as
    { satisfiedByMeasure?: boolean; minNormalizedMeasure?: number } | undefined;
  return primary?.satisfiedByMeasure ? (primary.minNormalizedMeasure ?? 1) : undefined;
}
