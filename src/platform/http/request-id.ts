import { randomUUID } from 'node:crypto';
import { pinoHttp } from 'pino-http';
import type { RequestHandler } from 'express';
import type { Logger } from '../logger.js';

const REDACTED = '[Redacted]';

/** Multipart forms carry their CSRF token in the query (session.ts): keep it out of the access log. */
export const redactCsrfInUrl = (url: string) => url.replace(/([?&]_csrf=)[^&#]*/g, `$1${REDACTED}`);

interface LoggedRequest {
  url?: string;
  query?: unknown;
  headers?: Record<string, unknown>;
}

function redactRequest<T extends LoggedRequest>(req: T): T {
  const query = req.query as Record<string, unknown> | undefined;
  return {
    ...req,
    url: req.url === undefined ? undefined : redactCsrfInUrl(req.url),
    query: query && '_csrf' in query ? { ...query, _csrf: REDACTED } : query,
    headers: req.headers && redactHeaders(req.headers),
  };
}

/** The token header, and the token in a Referer (the page of a multipart form, sent back same-origin). */
function redactHeaders(headers: Record<string, unknown>): Record<string, unknown> {
  const out = { ...headers };
  if ('x-csrf-token' in out) out['x-csrf-token'] = REDACTED;
  if (typeof out.referer === 'string') out.referer = redactCsrfInUrl(out.referer);
  return out;
}

/** Every request gets an id; logs carry it and error pages show it. */
export function requestLogging(logger: Logger): RequestHandler {
  return pinoHttp({
    logger,
    genReqId: (req, res) => {
      const id = randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    serializers: { req: redactRequest },
    autoLogging: { ignore: (req) => req.url === '/healthz' || req.url?.startsWith('/static/') === true },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
  }) as unknown as RequestHandler;
}
