import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';

const XAPI_HEADERS = [
  'X-Experience-API-Version',
  'X-Experience-API-Consistent-Through',
  'ETag',
  'Last-Modified',
  'Content-Type',
  'Authorization',
  'If-Match',
  'If-None-Match',
].join(', ');

/**
 * Content in a browser on another origin calls the LRS with HTTP Basic and no cookie, so any origin may.
 * Preflights are answered here, before authentication (browsers send them without credentials).
 */
export const lrsCors: RequestHandler = (req, res, next) => {
  corsHeaders(req, res);
  if (req.method !== 'OPTIONS') return next();
  res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD, PUT, POST, DELETE, OPTIONS');
  res.setHeader(
    'Access-Control-Allow-Headers',
    req.headers['access-control-request-headers'] ?? XAPI_HEADERS,
  );
  res.setHeader('Access-Control-Max-Age', '86400');
  res.status(204).end();
};

/** The CORS headers of every LRS answer (the front door's too, on a bare response). */
export function corsHeaders(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('Access-Control-Allow-Origin', req.headers.origin ?? '*');
  const vary = res.getHeader('Vary');
  if (vary === undefined) res.setHeader('Vary', 'Origin');
  else if (!/(^|,)\s*(origin|\*)\s*(,|$)/i.test(String(vary)))
    res.setHeader('Vary', `${String(vary)}, Origin`);
  res.setHeader('Access-Control-Expose-Headers', XAPI_HEADERS);
  // The platform's default is same-origin; LRS answers are meant for content on other origins.
  res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
}
