import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, NotFound, TooManyRequests } from '../errors.js';
import type { Logger } from '../logger.js';
import type { i18n } from 'i18next';
import type { Language } from '../i18n.js';
import { languageOptions, negotiateLanguage, switcherBack } from './locals.js';

const wantsJson = (path: string, accept: string | undefined) =>
  path === '/api' ||
  path.startsWith('/api/') ||
  path.startsWith('/xapi') ||
  (accept?.includes('application/json') ?? false);

export const notFound: RequestHandler = () => {
  throw new NotFound();
};

/** The one place that answers errors: an HTML page, or JSON for /api and /xapi. */
export function errorHandler(logger: Logger, i18n: i18n): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) return next(err);
    const known = err instanceof AppError ? err : bodyParserError(err);
    const status = known?.status ?? 500;
    if (!known) logger.error({ err, reqId: String(req.id) }, 'unhandled error');
    if (err instanceof TooManyRequests) res.setHeader('Retry-After', String(err.retryAfterSeconds));
    // Errors raised before the language middleware (e.g. a body that does not parse) still get translated.
    const lang = req.lang ?? negotiateLanguage(req, 'en');
    const t = req.t ?? i18n.getFixedT(lang);
    const message = known ? t(known.messageKey, known.params) : t('errors.internal');
    res.status(status);
    if (wantsJson(req.path, req.headers.accept)) {
      res.json({ error: { status, message, requestId: String(req.id), details: known?.details } });
      return;
    }
    if (!res.locals.t) Object.assign(res.locals, bareLocals(req, lang, t));
    // No CSRF token can be made before its middleware: the layout then leaves out the forms that need one.
    res.locals.csrfToken ??= () => '';
    res.render('errors/error', {
      title: t('errors.title', { status }),
      status,
      message,
      requestId: String(req.id),
    });
  };
}

/** express.json / urlencoded throw errors with a status; keep their meaning. */
function bodyParserError(err: unknown): AppError | null {
  const e = err as { status?: number; type?: string };
  if (typeof e?.status !== 'number' || e.status < 400 || e.status >= 500) return null;
  if (e.type === 'entity.too.large') return new AppError(413, 'errors.tooLarge');
  if (e.type === 'entity.parse.failed') return new AppError(400, 'errors.malformedJson');
  return new AppError(e.status, 'errors.badRequest');
}

/** What the layout needs when the error came before the middleware that sets it up. */
function bareLocals(req: Parameters<RequestHandler>[0], lang: Language, t: (k: string) => string) {
  return {
    t,
    lang,
    languages: languageOptions(),
    user: null,
    path: req.path,
    currentUrl: switcherBack(req),
    flash: [],
    hasRole: () => false,
    requestId: String(req.id),
  };
}
