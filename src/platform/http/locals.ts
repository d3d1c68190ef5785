import type { Request, RequestHandler } from 'express';
import type { i18n } from 'i18next';
import { LANGUAGES, isLanguage, type Language, type TFunction } from '../i18n.js';

export const LANGUAGE_COOKIE = 'wch.lang';

/** Behind HTTPS the switcher's cookie carries the __Host- prefix, as the session's does (session.ts). */
export const languageCookie = (secure: boolean) => (secure ? `__Host-${LANGUAGE_COOKIE}` : LANGUAGE_COOKIE);

/** Each language by its own name, as the switcher shows it. */
export const LANGUAGE_NAMES: Record<Language, string> = {
  en: 'English',
  de: 'Deutsch',
  fr: 'Français',
  nl: 'Nederlands',
};

export const languageOptions = () => LANGUAGES.map((code) => ({ code, name: LANGUAGE_NAMES[code] }));

/** The user's language: their setting, then the switcher's cookie, then Accept-Language. */
export function negotiateLanguage(req: Request, fallback: Language): Language {
  // Before cookie-parser (e.g. a body too large) there are no cookies yet. A request that came by HTTPS
  // (req.secure honours trust proxy, as the Secure session cookie does) reads only the __Host- cookie.
  const cookies = req.cookies as Record<string, string | undefined> | undefined;
  const cookie = cookies?.[languageCookie(req.secure)];
  const accepted = req.acceptsLanguages(...LANGUAGES);
  return (
    (req.user?.language && isLanguage(req.user.language) && req.user.language) ||
    (isLanguage(cookie) && cookie) ||
    (isLanguage(accepted) && accepted) ||
    fallback
  );
}

/**
 * Where the language switcher leads back to. A page answering a POST (a form shown again with its errors)
 * has a URL that only takes POSTs: go back to the page the form came from, if it is ours.
 */
export function switcherBack(req: Request): string {
  if (req.method === 'GET' || req.method === 'HEAD') return req.originalUrl;
  const referer = req.get('referer');
  if (!referer || !URL.canParse(referer)) return '/';
  const from = new URL(referer);
  return from.origin === `${req.protocol}://${req.host}` ? from.pathname + from.search : '/';
}

export function language(i18n: i18n, fallback: Language): RequestHandler {
  return (req, res, next) => {
    const lang = negotiateLanguage(req, fallback);
    req.lang = lang;
    req.t = i18n.getFixedT(lang);
    res.locals.lang = lang;
    res.locals.t = req.t;
    res.locals.languages = languageOptions();
    res.locals.user = req.user ?? null;
    res.locals.path = req.path;
    res.locals.currentUrl = switcherBack(req);
    res.locals.requestId = String(req.id);
    // Taken from the session only when a page is rendered: a script's request (autosave, a beacon) that races
    // a redirect must not eat the message meant for the page that follows it.
    let flashes: NonNullable<typeof req.session.flash> | undefined;
    Object.defineProperty(res.locals, 'flash', {
      enumerable: true,
      get() {
        if (!flashes) {
          flashes = req.session?.flash ?? [];
          if (req.session?.flash) delete req.session.flash;
        }
        return flashes;
      },
    });
    res.locals.hasRole = (role: string) => req.user?.roles.includes(role as never) ?? false;
    res.locals.formatDate = (d: Date | string | null) =>
      d ? new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(d)) : '';
    res.locals.formatSize = (bytes: number) => formatSize(req.t, lang, bytes);
    next();
  };
}

/** A file size in the page's language: `1.5 MiB`, `1,5 Mio`, `12 KiB`. */
export function formatSize(t: TFunction, lang: Language, bytes: number): string {
  if (bytes >= 1024 ** 2) {
    const mib = new Intl.NumberFormat(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    return t('units.mib', { value: mib.format(bytes / 1024 ** 2) });
  }
  return t('units.kib', { value: new Intl.NumberFormat(lang).format(Math.max(1, Math.round(bytes / 1024))) });
}

/** A message shown once on the next page. */
export function flash(
  req: Express.Request,
  kind: 'success' | 'error',
  key: string,
  params?: Record<string, unknown>,
): void {
  req.session.flash = [...(req.session.flash ?? []), { kind, key, params }];
}
