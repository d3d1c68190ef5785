import express, { type Express } from 'express';
import cookieParser from 'cookie-parser';
import type { Config } from './platform/config.js';
import type { AppContext } from './platform/context.js';
import { databaseAnswers, type Db } from './platform/db.js';
import { createI18n } from './platform/i18n.js';
import { createLogger, type Logger } from './platform/logger.js';
import { createMailer, type Mailer } from './platform/mail.js';
import { publicDir, viewsDir } from './platform/paths.js';
import { platformSecret } from './platform/secrets.js';
import { errorHandler, notFound } from './platform/http/error-handler.js';
import { language } from './platform/http/locals.js';
import { openFrontDoor } from './platform/http/front-door.js';
import { requestLogging } from './platform/http/request-id.js';
import { cspNonce, securityHeaders } from './platform/http/security.js';
import { csrf, sessions } from './platform/http/session.js';
import {
  accountsRoutes,
  adminRoutes,
  createPassport,
  samlAdminRoutes,
  samlEndpoints,
  samlPages,
} from './modules/accounts/index.js';
import { coursesRoutes } from './modules/courses/index.js';
import { groupsRoutes } from './modules/groups/index.js';
import { authoringModule, authoringUploads } from './modules/authoring/index.js';
import { homeRoutes } from './home.routes.js';
import { packagesRoutes, registerPackageFormat } from './modules/packages/index.js';
import { scormModule, scormPackageFormat, scormRuntimeRoutes } from './modules/scorm/index.js';
import { h5pModule } from './modules/h5p/index.js';
import { lrsAdminRoutes, lrsForwardingRoutes, lrsHttp } from './modules/lrs/index.js';
import { progressModule } from './modules/progress/index.js';
import { certificatesModule } from './modules/certificates/index.js';

export interface AppOptions {
  config: Config;
  db: Db;
  logger?: Logger;
  mailer?: Mailer;
}

/** The LMS origin: pages, /api and (later) /xapi. Tests build it the same way main.ts does. */
export async function createApp(opts: AppOptions): Promise<{ app: Express; ctx: AppContext }> {
  const { config, db } = opts;
  const logger = opts.logger ?? createLogger(config.logLevel);
  const ctx: AppContext = {
    config,
    db,
    logger,
    mailer: opts.mailer ?? createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, logger }),
    i18n: await createI18n(),
  };
  registerPackageFormat(scormPackageFormat);
  const h5p = h5pModule(ctx);
  const secret = config.sessionSecret ?? (await platformSecret(db, 'session'));
  const cookies = { secret, secure: config.secureCookies, maxAgeMs: config.sessionMaxAgeMs };
  const passport = createPassport(ctx);
  const csrfGuard = csrf(cookies);

  const app = express();
  app.set('view engine', 'ejs');
  app.set('views', viewsDir);
  app.set('trust proxy', config.trustProxy);
  app.disable('x-powered-by');
  app.locals.appName = 'WorkCoopHub';
  app.locals.openRegistration = config.openRegistration;

  // The LRS first: machine clients, JSON only, its own few headers (lrs.routes.ts); no access log per statement.
  // Its busiest request, a POST of statements, does not even wait for Express (front-door.ts).
  const lrs = lrsHttp(ctx);
  app.use('/xapi', lrs.router);
  openFrontDoor(app, lrs.frontDoor('/xapi'));
  app.use(requestLogging(logger));
  app.use(cspNonce, securityHeaders({ contentOrigin: config.contentOrigin, secure: config.secureCookies }));
  app.use(
    '/static',
    express.static(publicDir, { maxAge: config.env === 'production' ? '1d' : 0, index: false }),
  );
  app.get('/healthz', async (_req, res) => {
    if (await databaseAnswers(db)) res.json({ status: 'ok', database: 'ok' });
    else res.status(503).json({ status: 'unavailable', database: 'unreachable' });
  });
  app.use('/h5p/launches', h5p.launches); // the H5P player's token endpoints: no session, no CSRF
  app.use(scormRuntimeRoutes(ctx)); // the player's commits: token in a text/plain body, no session

  app.use(express.urlencoded({ extended: true, limit: '1.2mb' })); // a page: 100,000 chars × 12 bytes (%XX×4)
  app.use('/api', express.json({ limit: '1mb' }));
  app.use(cookieParser());
  app.use(sessions(db, cookies));
  app.use(passport.initialize(), passport.session());
  app.use(language(ctx.i18n, config.defaultLanguage));
  app.use('/authoring', authoringUploads()); // multipart forms: their _csrf field is read below
  app.use(csrfGuard.token);
  app.use(samlEndpoints(ctx, passport)); // the IdP posts signed messages here cross-site, without a CSRF token
  app.use(csrfGuard.protect);

  app.use(homeRoutes(ctx));
  app.use(accountsRoutes(ctx, passport));
  app.use(h5p.pages); // before adminRoutes: adds the H5P permission to the admin's user page
  app.use(adminRoutes(ctx));
  app.use(samlPages(ctx));
  app.use(samlAdminRoutes(ctx));
  app.use(lrsAdminRoutes(ctx));
  app.use(lrsForwardingRoutes(ctx));
  app.use(coursesRoutes(ctx));
  app.use(groupsRoutes(ctx));
  app.use(progressModule(ctx));
  app.use(certificatesModule(ctx));
  app.use(authoringModule(ctx));
  app.use(packagesRoutes(ctx));
  app.use(scormModule(ctx));

  app.use(notFound);
  app.use(errorHandler(logger, ctx.i18n));
  return { app, ctx };
}
