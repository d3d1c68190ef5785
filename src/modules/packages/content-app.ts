import { randomUUID } from 'node:crypto';
import express, { Router, type Express, type RequestHandler } from 'express';
import mime from 'mime-types';
import type { Config } from '../../platform/config.js';
import type { Db } from '../../platform/db.js';
import type { Logger } from '../../platform/logger.js';
import type { FileStorage } from '../../platform/storage.js';
import { contentSigner, type ContentSigner } from './content-access.js';
import { sendContentProblem } from './content-problem.js';
import { packageStorage } from './storage.js';

/** What player pages registered on the content origin get. */
export interface ContentRouteContext {
  config: Config;
  db: Db;
  logger: Logger;
  signer: ContentSigner;
  storage: FileStorage;
}

type ContentRoutes = (router: Router, ctx: ContentRouteContext) => void;
const registered: ContentRoutes[] = [];

/**
 * Adds routes to the content origin (player pages of SCORM, H5P, cmi5). Paths under `/p/` are the
 * package files; pick another prefix (e.g. `/player/scorm/…`). Call before the content app is created.
 */
export function registerContentRoutes(routes: ContentRoutes): void {
  registered.push(routes);
}

const SEGMENT_OK = (s: string) =>
  // eslint-disable-next-line no-control-regex -- control characters are refused
  s !== '' && s !== '.' && s !== '..' && !s.includes('\\') && !/[\u0000-\u001f]/.test(s);

/** Headers of every content response: no sniffing, no Referer (tokens are in paths), framed only by the LMS. */
function contentHeaders(config: Config): RequestHandler {
  const ancestors = `frame-ancestors 'self' ${config.publicUrl}`;
  return (_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Content-Security-Policy', ancestors);
    res.setHeader('Cross-Origin-Resource-Policy', 'same-site');
    next();
  };
}

const parseRange = (
  header: string | undefined,
  size: number,
): { start: number; end: number } | null | 'bad' => {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null; // several ranges or odd syntax: send it whole
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  return start > end || start >= size ? 'bad' : { start, end };
};

function packageFiles(ctx: ContentRouteContext): Router {
  const r = Router();
  const problem = (req: express.Request, res: express.Response, status: number, key: string) =>
    sendContentProblem(req, res, { status, key, fallback: ctx.config.defaultLanguage });

  r.get('/p/:token/:packageId/:version/*file', async (req, res) => {
    const { token, packageId, version } = req.params;
    const v = Number(version);
    if (!/^[0-9a-f-]{36}$/.test(packageId) || !Number.isInteger(v) || v < 1)
      return problem(req, res, 404, 'packages:content.notFound');
    if (!ctx.signer.verify(token, packageId, v)) return problem(req, res, 403, 'packages:content.expired');
    const segments = (req.params as unknown as { file: string[] }).file;
    if (!segments.every(SEGMENT_OK)) return problem(req, res, 404, 'packages:content.notFound');
    const file = await ctx.storage.open(`${packageId}/${v}/${segments.join('/')}`);
    if (!file) return problem(req, res, 404, 'packages:content.notFound');
    const name = segments.at(-1)!;
    res.setHeader(
      'Content-Type',
      mime.contentType(mime.lookup(name) || 'application/octet-stream') || 'application/octet-stream',
    );
    res.setHeader('Cache-Control', 'private, max-age=300');
    res.setHeader('Accept-Ranges', 'bytes');
    res.setHeader('Last-Modified', file.modified.toUTCString());
    const range = parseRange(req.headers.range, file.size);
    if (range === 'bad') {
      res.setHeader('Content-Range', `bytes */${file.size}`);
      return problem(req, res, 416, 'packages:content.outOfRange');
    }
    if (range) {
      res.status(206).setHeader('Content-Range', `bytes ${range.start}-${range.end}/${file.size}`);
      res.setHeader('Content-Length', String(range.end - range.start + 1));
    } else res.setHeader('Content-Length', String(file.size));
    if (req.method === 'HEAD') return res.end();
    const stream = file.stream(range ?? undefined);
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  });
  return r;
}

/**
 * The content origin: package files under short-lived signed paths and the player pages registered with
 * `registerContentRoutes`. It has no session, reads no cookie and serves nothing of the LMS.
 */
export async function createContentApp(opts: {
  config: Config;
  db: Db;
  logger: Logger;
  storage?: FileStorage;
}): Promise<Express> {
  const { config, db, logger } = opts;
  const ctx: ContentRouteContext = {
    config,
    db,
    logger,
    signer: await contentSigner({ db, config }),
    storage: opts.storage ?? packageStorage(config),
  };
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.use(contentHeaders(config));
  app.use(packageFiles(ctx));
  for (const routes of registered) {
    const router = Router();
    routes(router, ctx);
    app.use(router);
  }
  const fallback = config.defaultLanguage;
  app.use((req, res) =>
    sendContentProblem(req, res, { status: 404, key: 'packages:content.notFound', fallback }),
  );
  app.use(((err, req, res, next) => {
    // No access log here (files by the thousand): the id ties this line to what the visitor reports.
    const reqId = randomUUID();
    logger.error({ err, reqId }, 'content origin error'); // not the path: it holds a signed token
    if (res.headersSent) return;
    res.setHeader('X-Request-Id', reqId);
    sendContentProblem(req, res, { status: 500, key: 'errors.internal', fallback, reference: reqId }).catch(
      next,
    );
  }) as express.ErrorRequestHandler);
  return app;
}
