import type { RequestHandler, Response } from 'express';
import { BadRequest } from '../../platform/errors.js';
import { basicCredentials } from './http.js';
import type { XapiVersion } from './lrs.types.js';

export const VERSION_HEADER = 'X-Experience-API-Version';
/** Latest patch of each major version we serve, as About lists them. */
export const SUPPORTED_VERSIONS: readonly XapiVersion[] = ['1.0.3', '2.0.0'];

/** `1.0`, `1.0.x` → 1.0.3; `2.0`, `2.0.x` → 2.0.0; anything else → null. */
export function parseVersion(header: string | undefined): XapiVersion | null {
  const v = header?.trim() ?? '';
  if (/^1\.0(\.\d+)?$/.test(v)) return '1.0.3';
  if (/^2\.0(\.\d+)?$/.test(v)) return '2.0.0';
  return null;
}

/** The version this request speaks, set by `xapiVersion`. */
export const xapiVersionOf = (res: Response): XapiVersion =>
  (res.locals.xapiVersion as XapiVersion | undefined) ?? '2.0.0';

// The version each client last spoke (after authenticating): a request that names none is refused in
// that version (1.0.3 and 2.0 each want their own in the answer's X-Experience-API-Version).
const lastVersion = new Map<string, XapiVersion>();
export function rememberVersion(key: string, version: XapiVersion): void {
  if (lastVersion.get(key) === version) return;
  if (lastVersion.size >= 10_000) lastVersion.clear();
  lastVersion.set(key, version);
}

/** Every request names the xAPI version it speaks; the answer names ours (Communication §3.3). */
export const xapiVersion: RequestHandler = (req, res, next) => {
  const header = req.get(VERSION_HEADER);
  if (header === undefined) {
    const key = basicCredentials(req.headers.authorization)?.key;
    res.setHeader(VERSION_HEADER, (key && lastVersion.get(key)) ?? '2.0.0');
    throw new BadRequest('lrs:version.missing');
  }
  const version = parseVersion(header);
  if (!version) throw new BadRequest('lrs:version.unsupported', { version: header });
  res.locals.xapiVersion = version;
  res.setHeader(VERSION_HEADER, version);
  next();
};
