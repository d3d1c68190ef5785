import type { Element } from '@xmldom/xmldom';
import {
  attr,
  boolAttr,
  child,
  children,
  defined,
  descendant,
  numAttr,
  parseXmlRefusingDoctype,
  text,
} from './manifest-xml.js';
import { parseSequencing, type Sequencing } from './manifest-sequencing.js';

export type ScormVersion = '1.2' | '2004';
export type Scorm2004Edition = 2 | 3 | 4;

/** A message key (scorm namespace is not used: the packages namespace shows these) with parameters. */
export interface ManifestProblem {
  key: string;
  params?: Record<string, string | number>;
}

/** `adlcp:completionThreshold`: 3rd ed. gives a number as text; 4th ed. uses the attributes. */
export interface CompletionThreshold {
  completedByMeasure?: boolean;
  minProgressMeasure?: number;
  progressWeight?: number;
}

/** `adlcp:data/adlcp:map` (4th ed.): a shared data bucket the SCO reads and writes as `adl.data`. */
export interface SharedDataMap {
  targetID: string;
  readSharedData?: boolean;
  writeSharedData?: boolean;
}

export interface ScormItem {
  identifier: string;
  title: string;
  /** The resource it launches; null for an item that only groups others (a cluster). */
  identifierref: string | null;
  /** The item's `parameters` as written (added to the launch URL). */
  parameters: string | null;
  /** The resource's href with xml:base and parameters applied, relative to the package root. */
  launch: string | null;
  scormType: 'sco' | 'asset' | null;
  isVisible: boolean;
  /** `adlnav:hideLMSUI` values: `previous`, `continue`, `exit`, `exitAll`, `abandon`, `abandonAll`, `suspendAll`. */
  hideLMSUI: string[];
  // SCORM 1.2 (adlcp_rootv1p2) and 2004 (adlcp_v1p3) item data the runtime hands to the SCO.
  dataFromLMS?: string;
  timeLimitAction?: string;
  /** 1.2 only: `adlcp:masteryscore` (0–100). */
  masteryScore?: number;
  /** 1.2 only: `adlcp:maxtimeallowed`. */
  maxTimeAllowed?: string;
  /** 1.2 only: `adlcp:prerequisites` (AICC script), kept as written. */
  prerequisites?: string;
  completionThreshold?: CompletionThreshold;
  /** 3rd ed.: the text form of `adlcp:completionThreshold`. */
  completionThresholdValue?: number;
  sharedData: SharedDataMap[];
  /** As written on the item; apply `effectiveSequencing` with the manifest's collection to use it. */
  sequencing?: Sequencing;
  children: ScormItem[];
}

export interface ScormOrganization {
  identifier: string;
  title: string;
  objectivesGlobalToSystem?: boolean;
  sharedDataGlobalToSystem?: boolean;
  sequencing?: Sequencing;
  items: ScormItem[];
}

export interface ScormResource {
  identifier: string;
  type: string;
  scormType: 'sco' | 'asset' | null;
  /** href as written, and with every xml:base applied (relative to the package root). */
  href: string | null;
  resolvedHref: string | null;
  files: string[];
  dependencies: string[];
}

/** The model of an `imsmanifest.xml`, JSON-safe, stored with each package version. */
export interface ScormManifest {
  identifier: string;
  version: ScormVersion;
  /** 2004 only: 2nd (CAM 1.3), 3rd or 4th edition. */
  edition: Scorm2004Edition | null;
  /** `metadata/schemaversion` as written. */
  schemaversion: string | null;
  title: string;
  description: string;
  language: string | null;
  defaultOrganization: string | null;
  organizations: ScormOrganization[];
  resources: ScormResource[];
  /** `imsss:sequencingCollection` entries by ID (2004). */
  sequencingCollection: Record<string, Sequencing>;
}

export interface ParsedManifest {
  manifest: ScormManifest;
  warnings: ManifestProblem[];
  errors: ManifestProblem[];
}

const EDITIONS: Record<string, Scorm2004Edition> = {
  'cam 1.3': 2,
  '2004 2nd edition': 2,
  '2004 3rd edition': 3,
  '2004 4th edition': 4,
};

/** Parses `imsmanifest.xml` (DOCTYPE refused: throws ManifestXmlError); package problems come back as errors. */
export function parseScormManifest(xml: string): ParsedManifest {
  const doc = parseXmlRefusingDoctype(xml);
  const root = doc.documentElement!;
  const warnings: ManifestProblem[] = [];
  const errors: ManifestProblem[] = [];
  if (root.localName !== 'manifest')
    errors.push({ key: 'packages:scorm.notManifest', params: { element: root.localName ?? '' } });

  const metadata = child(root, 'metadata');
  const schemaversion = text(child(metadata ?? root, 'schemaversion')) || null;
  const { version, edition } = detectVersion(root, schemaversion, warnings);

  const manifestBase = joinBase('', attr(root, 'base'));
  const resourcesEl = child(root, 'resources');
  const resourcesBase = joinBase(manifestBase, resourcesEl ? attr(resourcesEl, 'base') : undefined);
  const resources = resourcesEl
    ? children(resourcesEl, 'resource').map((r) => parseResource(r, resourcesBase))
    : [];
  const byId = new Map(resources.map((r) => [r.identifier, r]));

  const orgsEl = child(root, 'organizations');
  const organizations = orgsEl ? children(orgsEl, 'organization').map((o) => parseOrganization(o, byId)) : [];
  let defaultOrganization = orgsEl ? (attr(orgsEl, 'default') ?? null) : null;
  if (defaultOrganization && !organizations.some((o) => o.identifier === defaultOrganization)) {
    warnings.push({ key: 'packages:scorm.defaultOrgMissing', params: { id: defaultOrganization } });
    defaultOrganization = null;
  }
  defaultOrganization ??= organizations[0]?.identifier ?? null;
  const main = organizations.find((o) => o.identifier === defaultOrganization);

  const sequencingCollection: Record<string, Sequencing> = {};
  const collection = child(root, 'sequencingCollection', 'imsss');
  for (const s of collection ? children(collection, 'sequencing', 'imsss') : []) {
    const parsed = parseSequencing(s);
    if (parsed.id) sequencingCollection[parsed.id] = parsed;
  }

  const lom = metadata ? descendant(metadata, 'lom') : undefined;
  const general = lom ? descendant(lom, 'general') : undefined;
  return {
    manifest: {
      identifier: attr(root, 'identifier') ?? '',
      version,
      edition,
      schemaversion,
      title: main?.title || text(general ? descendant(general, 'title') : undefined) || '',
      description: text(general ? descendant(general, 'description') : undefined),
      language: text(general ? descendant(general, 'language') : undefined) || null,
      defaultOrganization,
      organizations,
      resources,
      sequencingCollection,
    },
    warnings,
    errors,
  };
}

function detectVersion(root: Element, schemaversion: string | null, warnings: ManifestProblem[]) {
  const namespaces = collectNamespaces(root);
  const says2004 = namespaces.some((n) => /adlcp_v1p3|imscp_v1p1|imsss|adlseq|adlnav/.test(n));
  const says12 = namespaces.some((n) => /adlcp_rootv1p2|imscp_rootv1p1p2/.test(n));
  const sv = (schemaversion ?? '').trim().toLowerCase();
  if (sv === '1.2' || (!sv && says12 && !says2004)) return { version: '1.2' as const, edition: null };
  if (EDITIONS[sv]) return { version: '2004' as const, edition: EDITIONS[sv] };
  if (sv.startsWith('2004') || (says2004 && !says12)) {
    // An edition we do not know (e.g. "2004 5th Edition") is read as the newest we support, 4th.
    const edition: Scorm2004Edition = sv || root.toString().includes('adlcp:data') ? 4 : 3;
    warnings.push({
      key: sv ? 'packages:scorm.unknownSchemaversion' : 'packages:scorm.noSchemaversion',
      params: { value: schemaversion ?? '', edition },
    });
    return { version: '2004' as const, edition };
  }
  if (sv)
    warnings.push({ key: 'packages:scorm.unknownSchemaversion12', params: { value: schemaversion ?? '' } });
  return { version: '1.2' as const, edition: null };
}

function collectNamespaces(root: Element): string[] {
  const out: string[] = [root.namespaceURI ?? ''];
  for (let i = 0; i < root.attributes.length; i++) {
    const a = root.attributes.item(i);
    if (a && (a.name === 'xmlns' || a.name.startsWith('xmlns:'))) out.push(a.value);
  }
  return out;
}

/** xml:base values joined as URL paths; a base never climbs out of the package (`..` is dropped). */
function joinBase(base: string, add: string | undefined): string {
  if (!add) return base;
  if (/^[a-z][a-z0-9+.-]*:/i.test(add) || add.startsWith('/')) return base; // absolute bases are ignored
  const joined = base + add;
  return joined.endsWith('/') ? joined : joined + '/';
}

const scormTypeOf = (el: Element): 'sco' | 'asset' | null => {
  const v = attr(el, 'scormType', 'adlcp')?.toLowerCase();
  return v === 'sco' || v === 'asset' ? v : null;
};

function parseResource(el: Element, base: string): ScormResource {
  const own = joinBase(base, attr(el, 'base'));
  const href = attr(el, 'href')?.trim() || null;
  return {
    identifier: attr(el, 'identifier') ?? '',
    type: attr(el, 'type') ?? '',
    scormType: scormTypeOf(el),
    href,
    resolvedHref: href && !/^[a-z][a-z0-9+.-]*:/i.test(href) ? own + href : href,
    files: children(el, 'file')
      .map((f) => attr(f, 'href')?.trim() ?? '')
      .filter(Boolean)
      .map((f) => own + f),
    dependencies: children(el, 'dependency')
      .map((d) => attr(d, 'identifierref') ?? '')
      .filter(Boolean),
  };
}

function parseOrganization(el: Element, resources: Map<string, ScormResource>): ScormOrganization {
  const seq = child(el, 'sequencing', 'imsss');
  return defined({
    identifier: attr(el, 'identifier') ?? '',
    title: text(child(el, 'title')),
    objectivesGlobalToSystem: boolAttr(el, 'objectivesGlobalToSystem', 'adlseq'),
    sharedDataGlobalToSystem: boolAttr(el, 'sharedDataGlobalToSystem', 'adlcp'),
    sequencing: seq ? parseSequencing(seq) : undefined,
    items: children(el, 'item').map((i) => parseItem(i, resources)),
  });
}

/** SCORM CAM: parameters join the href with `?` or `&`; a `#` fragment is kept only when the href has none. */
export function withParameters(href: string, parameters: string | null): string {
  if (!parameters) return href;
  let p = parameters.trim();
  if (p.startsWith('#')) return href.includes('#') ? href : href + p;
  if (p.startsWith('?') || p.startsWith('&')) p = p.slice(1);
  if (!p) return href;
  return href + (href.includes('?') ? '&' : '?') + p;
}

function parseItem(el: Element, resources: Map<string, ScormResource>): ScormItem {
  const identifierref = attr(el, 'identifierref') ?? null;
  const parameters = attr(el, 'parameters') ?? null;
  const resource = identifierref ? resources.get(identifierref) : undefined;
  const ct = child(el, 'completionThreshold', 'adlcp');
  const ctText = ct ? text(ct) : '';
  const nav = child(el, 'presentation', 'adlnav');
  const navInterface = nav ? child(nav, 'navigationInterface', 'adlnav') : undefined;
  const data = child(el, 'data', 'adlcp');
  const seq = child(el, 'sequencing', 'imsss');
  const adlcpText = (name: string) => {
    const c = child(el, name, 'adlcp') ?? children(el, name.toLowerCase(), 'adlcp')[0];
    return c ? text(c) : undefined;
  };
  const mastery = adlcpText('masteryscore');
  return defined({
    identifier: attr(el, 'identifier') ?? '',
    title: text(child(el, 'title')),
    identifierref,
    parameters,
    launch: resource?.resolvedHref ? withParameters(resource.resolvedHref, parameters) : null,
    scormType: resource?.scormType ?? null,
    isVisible: boolAttr(el, 'isvisible') ?? true,
    hideLMSUI: navInterface ? children(navInterface, 'hideLMSUI', 'adlnav').map((h) => text(h)) : [],
    dataFromLMS: adlcpText('dataFromLMS') ?? adlcpText('datafromlms'),
    timeLimitAction: adlcpText('timeLimitAction') ?? adlcpText('timelimitaction'),
    masteryScore:
      mastery !== undefined && mastery !== '' && Number.isFinite(Number(mastery))
        ? Number(mastery)
        : undefined,
    maxTimeAllowed: adlcpText('maxtimeallowed'),
    prerequisites: adlcpText('prerequisites'),
    completionThreshold:
      ct && (attr(ct, 'completedByMeasure') || attr(ct, 'minProgressMeasure') || attr(ct, 'progressWeight'))
        ? defined({
            completedByMeasure: boolAttr(ct, 'completedByMeasure'),
            minProgressMeasure: numAttr(ct, 'minProgressMeasure'),
            progressWeight: numAttr(ct, 'progressWeight'),
          })
        : undefined,
    completionThresholdValue: ctText && Number.isFinite(Number(ctText)) ? Number(ctText) : undefined,
    sharedData: data
      ? children(data, 'map', 'adlcp').map((m) =>
          defined({
            targetID: attr(m, 'targetID') ?? '',
            readSharedData: boolAttr(m, 'readSharedData'),
            writeSharedData: boolAttr(m, 'writeSharedData'),
          }),
        )
      : [],
    sequencing: seq ? parseSequencing(seq) : undefined,
    children: children(el, 'item').map((i) => parseItem(i, resources)),
  });
}

/** Every item of an organization, depth first. */
export function flattenItems(items: ScormItem[]): ScormItem[] {
  return items.flatMap((i) => [i, ...flattenItems(i.children)]);
}
