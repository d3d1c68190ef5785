import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import type { AppContext } from '../../platform/context.js';
import type { FrontDoor } from '../../platform/http/front-door.js';
import { recentlyVerified } from './auth.js';
import { corsHeaders } from './cors.js';
import { identify } from './http.js';
import type { LrsAuth, XapiVersion } from './lrs.types.js';
import type { RateLimit } from './statements.limits.js';
import { admitStatementsRequest, postStatements } from './statements.routes.js';
import { VERSION_HEADER, parseVersion, rememberVersion } from './version.js';

// Errors of requests the front door took, raised in the router where it would have raised them itself.
const failed = new WeakMap<IncomingMessage, unknown>();

/**
 * POST /xapi/statements without a query, with credentials verified in the last ~30 s: answered before
 * Express by the router's own steps and headers (CORS, version, authentication, statements). Any other
 * request, and the first of new credentials, goes to the router; so does an error, to be answered there.
 */
export function statementsFrontDoor(ctx: AppContext, mountPath: string, limit: RateLimit): FrontDoor {
  const url = `${mountPath}/statements`;
  return (req, res, toApp) => {
    if (req.method !== 'POST' || req.url !== url) return false;
    const header = req.headers[VERSION_HEADER.toLowerCase()];
    const version = typeof header === 'string' ? parseVersion(header) : null;
    const client = version ? recentlyVerified(req.headers.authorization) : null;
    if (!version || !client) return false;
    identify(req, res);
    res.setHeader(VERSION_HEADER, version);
    corsHeaders(req, res);
    rememberVersion(client.key, version);
    answer(ctx, req, res, client.auth, version, limit).catch((err: unknown) => {
      failed.set(req, err);
      toApp();
    });
    return true;
  };
}

async function answer(
  ctx: AppContext,
  req: IncomingMessage,
  res: ServerResponse,
  auth: LrsAuth,
  version: XapiVersion,
  limit: RateLimit,
): Promise<void> {
  admitStatementsRequest(res, auth, limit);
  await postStatements(ctx, req, res, auth, version);
}

/** In the router, after the version check: raises the error of a request the front door took. */
export const frontDoorError: RequestHandler = (req, _res, next) => {
  if (!failed.has(req)) return next();
  const err = failed.get(req);
  failed.delete(req);
  throw err;
};
