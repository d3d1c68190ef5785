import { randomUUID } from 'node:crypto';
import { Router, type RequestHandler } from 'express';
import type { AppContext } from '../../platform/context.js';
import { LANGUAGES, isLanguage } from '../../platform/i18n.js';
import { aboutRoutes } from './about.js';
import { activitiesRoutes } from './activities.routes.js';
import { agentsRoutes } from './agents.routes.js';
import { alternateSyntax } from './alternate.js';
import { authenticate } from './auth.js';
import { lrsCors } from './cors.js';
import { activityProfileRoutes, agentProfileRoutes, stateRoutes } from './documents.routes.js';
import { statementsRoutes } from './statements.routes.js';
import { VERSION_HEADER, xapiVersion } from './version.js';

/**
 * The LRS at /xapi, mounted before the request log, security headers, body parsers, cookies, sessions
 * and CSRF of the pages:
 * HTTP Basic only, and each resource reads its own body.
 * Order: CORS → 1.0.3 alternate syntax → version → authentication → resources.
 */
export function lrsRouter(ctx: AppContext): Router {
  const outer = Router();
  const inner = Router();

  // The language middleware of the pages runs after /xapi: messages are set up here (English unless asked).
  const translators = new Map(LANGUAGES.map((l) => [l, ctx.i18n.getFixedT(l)]));
  const language: RequestHandler = (req, res, next) => {
    // mounted before the platform's request log and security headers: an id for error answers, and no sniffing
    const id = randomUUID();
    (req as { id?: string }).id = id;
    res.setHeader('X-Request-Id', id);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    const accepted = req.headers['accept-language'] ? req.acceptsLanguages(...LANGUAGES) : false;
    req.lang = isLanguage(accepted) ? accepted : 'en';
    req.t = translators.get(req.lang)!;
    res.setHeader(VERSION_HEADER, '2.0.0');
    next();
  };
  outer.use(language, lrsCors, alternateSyntax(inner), inner);

  inner.use('/about', aboutRoutes());
  inner.use(xapiVersion, authenticate(ctx.db));
  inner.use('/statements', statementsRoutes(ctx));
  inner.use('/activities/state', stateRoutes(ctx));
  inner.use('/activities/profile', activityProfileRoutes(ctx));
  inner.use('/agents/profile', agentProfileRoutes(ctx));
  inner.use('/activities', activitiesRoutes(ctx));
  inner.use('/agents', agentsRoutes(ctx));
  return outer;
}
