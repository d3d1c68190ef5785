import express, { Router, type Request, type Response } from 'express';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { RuntimeRequest, type RuntimeResponse } from './runtime.schemas.js';
import { handleRuntime, RuntimeRefused } from './runtime.service.js';

/** SCORM CMI data can be large (1.2 content keeps more than 4,096 characters; many interactions). */
const BODY_LIMIT = '8mb';

/**
 * POST /scorm/runtime: the player's commits, straight from the content origin. The body is text/plain JSON
 * (a CORS-safelisted type: no preflight, and sendBeacon can send it), carrying the session token: no cookie,
 * no CSRF token, no custom header. Mounted before the session middleware.
 */
export function scormRuntimeRoutes(ctx: AppContext): Router {
  const r = Router();
  const origin = ctx.config.contentOrigin;
  const cors = (_req: Request, res: Response) => {
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Vary', 'Origin');
    // a beacon is a no-cors request: its answer must not be blocked as another site's resource
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
  };
  const answer = (res: Response, status: number, body: RuntimeResponse) => {
    res.status(status).type('application/json').setHeader('Cache-Control', 'no-store');
    res.send(JSON.stringify(body));
  };

  r.options('/scorm/runtime', (req, res) => {
    cors(req, res);
    res.setHeader('Access-Control-Allow-Methods', 'POST');
    res.setHeader('Access-Control-Allow-Headers', 'Content-Type');
    res.setHeader('Access-Control-Max-Age', '600');
    res.status(204).end();
  });

  r.post('/scorm/runtime', express.text({ type: () => true, limit: BODY_LIMIT }), async (req, res) => {
    cors(req, res);
    let input: unknown;
    try {
      input = JSON.parse(typeof req.body === 'string' ? req.body : '');
    } catch {
      return answer(res, 400, { result: false, errorCode: 391 });
    }
    const parsed = RuntimeRequest.safeParse(input);
    if (!parsed.success) return answer(res, 400, { result: false, errorCode: 391 });
    try {
      answer(res, 200, await handleRuntime(ctx, parsed.data));
    } catch (err) {
      if (err instanceof RuntimeRefused)
        return answer(res, err.status, { result: false, errorCode: err.errorCode });
      if (err instanceof AppError && err.status < 500) {
        ctx.logger.warn({ err, reqId: req.id }, 'scorm runtime request refused');
        return answer(res, err.status, { result: false, errorCode: 391 });
      }
      ctx.logger.error({ err, reqId: req.id }, 'scorm runtime request failed');
      answer(res, 500, { result: false, errorCode: 391 });
    }
  });
  // a body too large or unreadable: still answered in the player's terms, with the CORS header
  r.use('/scorm/runtime', ((err, req, res, _next) => {
    cors(req, res);
    const status =
      typeof (err as { status?: unknown }).status === 'number' ? (err as { status: number }).status : 500;
    if (status >= 500) ctx.logger.error({ err, reqId: req.id }, 'scorm runtime request failed');
    answer(res, status, { result: false, errorCode: 391 });
  }) as express.ErrorRequestHandler);
  return r;
}
