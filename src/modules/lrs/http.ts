import { AppError } from '../../platform/errors.js';

/** 405 with the methods a resource does answer. */
export class MethodNotAllowed extends AppError {
  constructor(
    method: string,
    readonly allow: string,
  ) {
    super(405, 'lrs:errors.methodNotAllowed', { method, allow });
  }
}

/** Key and secret of an `Authorization: Basic …` header, or null. */
export function basicCredentials(header: string | undefined): { key: string; secret: string } | null {
  const m = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header ?? '');
  if (!m) return null;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return null;
  return { key: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}
