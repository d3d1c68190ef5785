import { hash as digest, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
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

/**
 * What every LRS answer carries first: the LRS is mounted before the platform's request log and security
 * headers, so it gives its own request id (for error answers) and no sniffing.
 */
export function identify(req: IncomingMessage, res: ServerResponse): void {
  const id = randomUUID();
  req.id = id;
  res.setHeader('X-Request-Id', id);
  res.setHeader('X-Content-Type-Options', 'nosniff');
}

/** 403: the credentials lack this scope. */
export const forbidden = (scope: string) => new AppError(403, 'lrs:auth.scope', { scope });

/** Key and secret of an `Authorization: Basic …` header, or null. */
export function basicCredentials(header: string | undefined): { key: string; secret: string } | null {
  const m = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header ?? '');
  if (!m) return null;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return null;
  return { key: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

/**
 * A JSON answer with the headers Express's `res.json` gives (type, length, weak ETag), written at once:
 * works on a bare response too, and skips Express's content-type and charset parsing.
 */
export function sendJson(res: ServerResponse, status: number, json: string): void {
  const length = Buffer.byteLength(json);
  // one-shot hash: a createHash object per answer cost more CPU than the rest of the headers
  const hash = digest('sha1', json, 'base64').slice(0, 27);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', length);
  res.setHeader('ETag', `W/"${length.toString(16)}-${hash}"`);
  res.end(json);
}
