import { Router, type RequestHandler } from 'express';
import type { AppContext } from '../../platform/context.js';
import type { FrontDoor } from '../../platform/http/front-door.js';
import { LANGUAGES, isLanguage } from '../../platform/i18n.js';
import { aboutRoutes } from './about.js';
import { activitiesRoutes } from './activities.routes.js';
import { agentsRoutes } from './agents.routes.js';
import { alternateSyntax } from './alternate.js';
import { authenticate } from './auth.js';
import { lrsCors } from './cors.js';
import { activityProfileRoutes, agentProfileRoutes, stateRoutes } from './documents.routes.js';
import { identify } from './http.js';
import { frontDoorError, statementsFrontDoor } from './statements.front-door.js';
import { rateLimiter } from './statements.limits.js';
import { statementsRoutes } from './statements.routes.js';
import { VERSION_HEADER, xapiVersion } from './version.js';

export interface LrsHttp {
  /** The LRS, mounted before the pages' request log, security headers, body parsers, sessions and CSRF. */
  router: Router;
  /** Its busiest request, a POST of statements, answered before Express (statements.front-door.ts). */
  frontDoor(mountPath: string): FrontDoor;
}

/**
 * The LRS at /xapi: HTTP Basic only, and each resource reads its own body.
 * Order: CORS → 1.0.3 alternate syntax → version → authentication → resources.
 */
export function lrsHttp(ctx: AppContext): LrsHttp {
  const outer = Router();
  const inner = Router();
  const limit = rateLimiter(ctx.config.lrsRateLimit);

  // The language middleware of the pages runs after /xapi: messages are set up here (English unless asked).
  const translators = new Map(LANGUAGES.map((l) => [l, ctx.i18n.getFixedT(l)]));
  const language: RequestHandler = (req, res, next) => {
    identify(req, res);
    res.setHeader(VERSION_HEADER, '2.0.0');
    const accepted = req.headers['accept-language'] ? req.acceptsLanguages(...LANGUAGES) : false;
    req.lang = isLanguage(accepted) ? accepted : 'en';
    req.t = translators.get(req.lang)!;
    next();
  };
  outer.use(language, lrsCors, alternateSyntax(inner), inner);

  inner.use('/about', aboutRoutes());
  inner.use(xapiVersion, frontDoorError, authenticate(ctx.db));
  inner.use('/statements', statementsRoutes(ctx, limit));
  inner.use('/activities/state', stateRoutes(ctx));
  inner.use('/activities/profile', activityProfileRoutes(ctx));
  inner.use('/agents/profile', agentProfileRoutes(ctx));
  inner.use('/activities', activitiesRoutes(ctx));
  inner.use('/agents', agentsRoutes(ctx));
  return { router: outer, frontDoor: (mountPath) => statementsFrontDoor(ctx, mountPath, limit) };
}
