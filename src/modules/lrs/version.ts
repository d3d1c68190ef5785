import type { RequestHandler, Response } from 'express';
import { BadRequest } from '../../platform/errors.js';
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

/** Every request names the xAPI version it speaks; the answer names ours (Communication §3.3). */
export const xapiVersion: RequestHandler = (req, res, next) => {
  const header = req.get(VERSION_HEADER);
  if (header === undefined) throw new BadRequest('lrs:version.missing');
  const version = parseVersion(header);
  if (!version) throw new BadRequest('lrs:version.unsupported', { version: header });
  res.locals.xapiVersion = version;
  res.setHeader(VERSION_HEADER, version);
  next();
};
