import express, { Router, type ErrorRequestHandler, type RequestHandler, type Response } from 'express';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { findUserById } from '../accounts/index.js';
import { storeStatements } from '../lrs/index.js';
import { activityIri, learnerAgent, liveLaunch } from './launch.service.js';
import type { LaunchRow } from './launches.repo.js';
import { h5pAuth, scopedStatement } from './statements.js';
import { MAX_USER_DATA_BYTES, readUserData, writeUserData } from './user-data.js';

const MAX_BATCH = 100;
const DATA_TYPE = /^[A-Za-z0-9_-]{1,64}$/;
const SUB_CONTENT = /^[A-Za-z0-9-]{1,64}$/;

class LaunchProblem extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The LMS endpoints of the H5P player, which runs on the content origin: it posts the content's xAPI
 * statements and H5P's user data here with the launch's token in the path, never with the session.
 * Only simple CORS requests (text/plain, form data, GET), so `sendBeacon` can carry the last ones on leaving.
 * Mounted at /h5p/launches before the session and CSRF middleware.
 */
export function h5pLaunchRoutes(ctx: AppContext): Router {
  const { db, config, logger } = ctx;
  const r = Router();

  const cors: RequestHandler = (req, res, next) => {
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== config.contentOrigin)
      return res.status(403).json({ success: false, message: 'This endpoint is for the H5P player only.' });
    res.setHeader('Access-Control-Allow-Origin', config.contentOrigin);
    res.vary('Origin');
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    res.setHeader('Cache-Control', 'no-store');
    if (req.method !== 'OPTIONS') return next();
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST');
    res.setHeader('Access-Control-Allow-Headers', 'Content-Type');
    res.setHeader('Access-Control-Max-Age', '7200');
    res.status(204).end();
  };
  r.use(cors);

  const launchOf = async (token: string): Promise<LaunchRow> => {
    const launch = await liveLaunch(db, token);
    if (!launch) throw new LaunchProblem(401, 'This launch has expired: reload the page to continue.');
    return launch;
  };

  r.post('/:token/statements', express.text({ type: () => true, limit: '2mb' }), async (req, res) => {
    const launch = await launchOf(req.params.token);
    let body: unknown;
    try {
      body = JSON.parse(typeof req.body === 'string' ? req.body : '');
    } catch {
      throw new LaunchProblem(400, 'The body must be a JSON statement or array of statements.');
    }
    const list = Array.isArray(body) ? body : [body];
    if (list.length > MAX_BATCH) throw new LaunchProblem(413, `At most ${MAX_BATCH} statements at once.`);
    const user = await findUserById(db, launch.user_id);
    if (!user) throw new LaunchProblem(401, 'This launch has expired: reload the page to continue.');
    const scope = {
      iri: activityIri(config.publicUrl, launch.activity_id),
      registration: launch.registration,
      actor: learnerAgent(config.publicUrl, user),
    };
    const statements = list.map((s) => scopedStatement(s, scope)).filter((s) => s !== null);
    let dropped = list.length - statements.length;
    const auth = h5pAuth(config.publicUrl);
    let stored = 0;
    try {
      stored = (await storeStatements(db, statements, auth)).length;
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      // One bad statement refuses the batch: keep the others.
      for (const s of statements) {
        try {
          stored += (await storeStatements(db, [s], auth)).length;
        } catch (one) {
          if (!(one instanceof AppError) || one.status >= 500) throw one;
          dropped++;
          logger.warn({ err: one, verb: s.verb }, 'h5p: statement refused by the LRS');
        }
      }
    }
    res.json({ success: true, stored, dropped });
  });

  const userDataParams = (p: Record<string, string>) => {
    if (!DATA_TYPE.test(p.dataType ?? '') || !SUB_CONTENT.test(p.subContentId ?? ''))
      throw new LaunchProblem(404, 'Not found');
    return { dataType: p.dataType!, sub: p.subContentId! };
  };

  r.get('/:token/user-data/:dataType/:subContentId', async (req, res) => {
    const launch = await launchOf(req.params.token);
    const { dataType, sub } = userDataParams(req.params);
    const data = await readUserData(db, config.publicUrl, launch, dataType, sub);
    res.json({ success: true, data: data ?? false });
  });

  r.post(
    '/:token/user-data/:dataType/:subContentId',
    express.urlencoded({ extended: false, limit: '2mb', parameterLimit: 10 }),
    async (req, res) => {
      const launch = await launchOf(req.params.token);
      const { dataType, sub } = userDataParams(req.params);
      const data = (req.body as Record<string, unknown> | undefined)?.data;
      if (typeof data !== 'string')
        throw new LaunchProblem(400, 'Give the user data as the form field "data".');
      // H5P sends 0 to delete its data (the content was reset).
      if (data === '0') {
        await writeUserData(db, config.publicUrl, launch, dataType, sub, null);
        return res.json({ success: true });
      }
      if (Buffer.byteLength(data) > MAX_USER_DATA_BYTES)
        throw new LaunchProblem(413, 'The user data is too large.');
      try {
        JSON.parse(data);
      } catch {
        throw new LaunchProblem(400, 'The user data must be JSON.');
      }
      await writeUserData(db, config.publicUrl, launch, dataType, sub, data);
      res.json({ success: true });
    },
  );

  // H5P reads `message` when `success` is false; nothing of the LMS error page here.
  r.use(((err, req, res: Response, _next) => {
    const status =
      err instanceof LaunchProblem
        ? err.status
        : typeof (err as { status?: unknown }).status === 'number'
          ? (err as { status: number }).status
          : 500;
    if (status >= 500) logger.error({ err, reqId: req.id }, 'h5p launch endpoint failed');
    const message =
      err instanceof LaunchProblem ? err.message : status >= 500 ? 'Internal error' : 'Bad request';
    res.status(status).json({ success: false, message });
  }) as ErrorRequestHandler);
  return r;
}
