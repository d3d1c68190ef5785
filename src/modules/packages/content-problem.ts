import type { Request, Response } from 'express';
import type { i18n } from 'i18next';
import { createI18n, LANGUAGES, type Language } from '../../platform/i18n.js';

// The content origin has no session and no LMS layout: what it refuses shows in the player's frame.
let loaded: Promise<i18n> | undefined;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Answers a refused content request with a small page in the visitor's language (Accept-Language: the
 * content origin reads no cookie). `key` is a translation key; `reference` a request id to quote.
 */
export async function sendContentProblem(
  req: Request,
  res: Response,
  o: { status: number; key: string; fallback: Language; reference?: string },
): Promise<void> {
  const i18n = await (loaded ??= createI18n());
  const lang = req.acceptsLanguages(...LANGUAGES) || o.fallback;
  const t = i18n.getFixedT(lang);
  const reference = o.reference
    ? `<p>${escapeHtml(t('errors.requestId'))} <code>${escapeHtml(o.reference)}</code></p>`
    : '';
  res
    .status(o.status)
    .vary('Accept-Language')
    .setHeader('Content-Language', lang)
    .setHeader('Cache-Control', 'no-store')
    .type('html')
    .send(
      `<!doctype html><html lang="${lang}"><head><meta charset="utf-8">` +
        '<meta name="viewport" content="width=device-width, initial-scale=1">' +
        `<title>${escapeHtml(t('errors.title', { status: o.status }))}</title></head>` +
        `<body><p>${escapeHtml(t(o.key))}</p>${reference}</body></html>`,
    );
}
