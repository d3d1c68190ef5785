// A JSON document changed by a full replacement or by a patch of JSON Pointer paths (RFC 6901). The player
// sends only what changed since the last commit the server acknowledged, so a final commit by sendBeacon
// (at most 64 KiB) carries the last writes and not the whole CMI data again.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface DocChange {
  full?: JsonObject;
  set?: Record<string, Json>;
  del?: string[];
}

const FORBIDDEN = new Set(['__proto__', 'prototype', 'constructor']);

export class BadPointer extends Error {}

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The segments of a JSON Pointer; throws BadPointer on a malformed one or a key that could reach a prototype. */
export function pointerSegments(pointer: string): string[] {
  if (!pointer.startsWith('/')) throw new BadPointer(`not a JSON pointer: ${pointer.slice(0, 80)}`);
  const segments = pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (segments.some((s) => FORBIDDEN.has(s))) throw new BadPointer('forbidden key');
  if (segments.length > 32) throw new BadPointer('too deep');
  return segments;
}

export const pointerOf = (segments: string[]) =>
  '/' + segments.map((s) => s.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/** Every leaf of an object by pointer; arrays and empty objects are leaves. */
export function flatten(doc: JsonObject, prefix: string[] = [], out: Record<string, Json> = {}) {
  for (const [k, v] of Object.entries(doc)) {
    const path = [...prefix, k];
    if (isObject(v) && Object.keys(v).length) flatten(v, path, out);
    else out[pointerOf(path)] = v;
  }
  return out;
}

/** What turns `from` into `to`: leaves to set and leaves to delete. */
export function diff(from: JsonObject, to: JsonObject): { set: Record<string, Json>; del: string[] } {
  const a = flatten(from);
  const b = flatten(to);
  const set: Record<string, Json> = {};
  for (const [p, v] of Object.entries(b))
    if (!(p in a) || JSON.stringify(a[p]) !== JSON.stringify(v)) set[p] = v;
  return { set, del: Object.keys(a).filter((p) => !(p in b)) };
}

function copy(doc: JsonObject): JsonObject {
  return JSON.parse(JSON.stringify(doc)) as JsonObject;
}

/** The document after a change (a copy; `doc` is not touched). Deletions apply before settings. */
export function applyChange(doc: JsonObject, change: DocChange): JsonObject {
  if (change.full) return copy(change.full);
  const out = copy(doc);
  for (const pointer of change.del ?? []) {
    const segs = pointerSegments(pointer);
    let node: Json = out;
    for (const s of segs.slice(0, -1)) node = isObject(node) ? (node[s] ?? null) : null;
    if (isObject(node)) delete node[segs.at(-1)!];
  }
  for (const [pointer, value] of Object.entries(change.set ?? {})) {
    const segs = pointerSegments(pointer);
    let node: JsonObject = out;
    for (const s of segs.slice(0, -1)) {
      const next = node[s];
      if (!isObject(next)) node[s] = {};
      node = node[s] as JsonObject;
    }
    node[segs.at(-1)!] = value;
  }
  return out;
}
