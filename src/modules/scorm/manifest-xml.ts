import { DOMParser, type Document, type Element } from '@xmldom/xmldom';

/** Why the XML was refused: a DOCTYPE (entities could read local files) or not well-formed. */
export class ManifestXmlError extends Error {
  constructor(
    readonly reason: 'doctype' | 'malformed',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Parses XML with DOCTYPEs refused before parsing: no entity is ever expanded, so nothing of a
 * local file (XXE) can reach the model, the report or the database.
 */
export function parseXmlRefusingDoctype(text: string): Document {
  if (/<!DOCTYPE/i.test(text) || /<!ENTITY/i.test(text)) throw new ManifestXmlError('doctype', 'DOCTYPE');
  const errors: string[] = [];
  let doc: Document;
  try {
    doc = new DOMParser({
      onError: (level, message) => {
        if (level !== 'warning') errors.push(message);
      },
    }).parseFromString(text, 'text/xml');
  } catch (err) {
    throw new ManifestXmlError('malformed', firstLine(err instanceof Error ? err.message : String(err)));
  }
  if (errors.length || !doc.documentElement)
    throw new ManifestXmlError('malformed', firstLine(errors[0] ?? 'empty'));
  return doc;
}

const firstLine = (s: string) => s.split('\n')[0]!.slice(0, 200);

/** Namespace families of SCORM manifests, matched loosely (1.2 and 2004 use different URIs). */
export type Ns = 'cp' | 'adlcp' | 'imsss' | 'adlseq' | 'adlnav' | 'any';

export function inNs(el: Element, ns: Ns): boolean {
  const uri = el.namespaceURI ?? '';
  switch (ns) {
    case 'any':
      return true;
    case 'adlcp':
      return uri.includes('adlcp');
    case 'imsss':
      return uri.includes('imsss');
    case 'adlseq':
      return uri.includes('adlseq');
    case 'adlnav':
      return uri.includes('adlnav');
    case 'cp':
      return !/adlcp|imsss|adlseq|adlnav/.test(uri);
  }
}

/** Child elements by local name (and namespace family). */
export function children(parent: Element, localName: string, ns: Ns = 'cp'): Element[] {
  const out: Element[] = [];
  for (let n = parent.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1) {
      const el = n as Element;
      if (el.localName === localName && inNs(el, ns)) out.push(el);
    }
  }
  return out;
}

export const child = (parent: Element, localName: string, ns: Ns = 'cp'): Element | undefined =>
  children(parent, localName, ns)[0];

/** The first descendant by local name, depth first. */
export function descendant(parent: Element, localName: string, ns: Ns = 'any'): Element | undefined {
  for (let n = parent.firstChild; n; n = n.nextSibling) {
    if (n.nodeType !== 1) continue;
    const el = n as Element;
    if (el.localName === localName && inNs(el, ns)) return el;
    const deeper = descendant(el, localName, ns);
    if (deeper) return deeper;
  }
  return undefined;
}

export const text = (el: Element | undefined): string => (el?.textContent ?? '').trim();

/** An attribute by local name whatever its prefix (`adlcp:scormType`, `scormtype`, …), case-insensitive. */
export function attr(el: Element, localName: string, ns?: Ns): string | undefined {
  const wanted = localName.toLowerCase();
  for (let i = 0; i < el.attributes.length; i++) {
    const a = el.attributes.item(i);
    if (!a) continue;
    const name = (a.localName ?? a.name).toLowerCase();
    if (name !== wanted) continue;
    if (ns && ns !== 'any' && !(a.namespaceURI && inNs(a as unknown as Element, ns))) continue;
    return a.value;
  }
  return undefined;
}

export function boolAttr(el: Element, name: string, ns?: Ns): boolean | undefined {
  const v = attr(el, name, ns)?.trim().toLowerCase();
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  return undefined;
}

export function numAttr(el: Element, name: string, ns?: Ns): number | undefined {
  const raw = attr(el, name, ns);
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw);
  return Number.isFinite(n) ? n : undefined;
}

/** Drops undefined properties so the stored JSON says only what the manifest says. */
export function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
