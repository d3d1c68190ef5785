import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import ejs from 'ejs';
import type { i18n } from 'i18next';
import type { Response, Router } from 'express';
import { createI18n, isLanguage } from '../../platform/i18n.js';
import { publicDir, viewsDir } from '../../platform/paths.js';
import type { ContentRouteContext } from '../packages/index.js';

// The player page and its scripts on the content origin: scorm-again's browser builds from node_modules and
// our player. The page has no secret in its URL: the LMS page hands the session token over by postMessage.

const require = createRequire(import.meta.url);
const SCRIPTS: Record<string, string> = {
  'scorm12.js': require.resolve('scorm-again/scorm12/min'),
  'scorm2004.js': require.resolve('scorm-again/scorm2004/min'),
  'player.js': path.join(publicDir, 'js', 'scorm-player.js'),
};
const VERSIONS: Record<string, 'scorm12.js' | 'scorm2004.js'> = {
  '1.2': 'scorm12.js',
  '2004': 'scorm2004.js',
};

let translator: Promise<i18n> | undefined;

function sendScript(res: Response, file: string) {
  res.setHeader('Content-Type', 'text/javascript; charset=utf-8');
  res.setHeader('Cache-Control', 'no-cache');
  fs.createReadStream(file)
    .on('error', () => res.destroy())
    .pipe(res);
}

export function scormContentRoutes(router: Router, ctx: ContentRouteContext): void {
  router.get('/player/scorm/:script', (req, res, next) => {
    const file = SCRIPTS[req.params.script];
    if (!file) return next();
    sendScript(res, file);
  });

  router.get('/player/scorm/:version/', async (req, res, next) => {
    const library = VERSIONS[req.params.version];
    if (!library) return next();
    const lang = isLanguage(req.query.lang) ? req.query.lang : ctx.config.defaultLanguage;
    translator ??= createI18n();
    const t = (await translator).getFixedT(lang);
    const html = await ejs.renderFile(path.join(viewsDir, 'scorm', 'player.ejs'), {
      lang,
      title: t('scorm:player.frameTitle'),
      lmsOrigin: ctx.config.publicUrl,
      library,
    });
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store');
    res.send(html);
  });
}
