import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import ejs from 'ejs';
import express, { type Router } from 'express';
import mime from 'mime-types';
import { createI18n, isLanguage, type TFunction } from '../../platform/i18n.js';
import { publicDir, viewsDir } from '../../platform/paths.js';
import { findUserById } from '../accounts/index.js';
import { sendContentProblem, versionForAttempt, type ContentRouteContext } from '../packages/index.js';
import { FOLDER } from './h5p.schemas.js';
import { activityIri, liveLaunch } from './launch.service.js';
import { storageKeyOf } from './libraries.repo.js';

// The player page and the shared libraries, on the content origin (registered with the packages module).

/** h5p-standalone's dist folder (player bundles, H5P core styles, fonts). */
const standaloneDir = path.dirname(createRequire(import.meta.url).resolve('h5p-standalone'));

/** The one inline script H5P core writes into its content frame; allowed by its hash only. */
function coreInlineScriptHash(): string {
  const fallback =
    'H5PIntegration = window.parent.H5PIntegration; var H5P = H5P || {}; H5P.externalEmbed = false;';
  let text = fallback;
  try {
    const bundle = fs.readFileSync(path.join(standaloneDir, 'frame.bundle.js'), 'utf8');
    text =
      /<script>(H5PIntegration = window\.parent\.H5PIntegration;[^<]*)<\\\/script>/.exec(bundle)?.[1] ??
      fallback;
  } catch {
    // the fallback is the text of h5p-standalone 3.8
  }
  return `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
}

/** Libraries are signed for everyone who may play, per hour (so browsers can cache them within it). */
export const LIBRARIES_SCOPE = 'h5p-libraries';
const libraryExpiry = (ttlSeconds: number) => Math.ceil((Date.now() / 1000 + ttlSeconds) / 3600) * 3600;

const SEGMENT_OK = (s: string) =>
  // eslint-disable-next-line no-control-regex -- control characters are refused
  s !== '' && s !== '.' && s !== '..' && !s.includes('\\') && !/[\u0000-\u001f]/.test(s);

/** Seconds between H5P's own saves of the learner's state (it also saves on completion and on leaving). */
export const SAVE_EVERY_SECONDS = 5;

let translator: Promise<(lng: string) => TFunction> | undefined;
const translatorFor = () =>
  (translator ??= createI18n().then((i18n) => (lng: string) => i18n.getFixedT(isLanguage(lng) ? lng : 'en')));

/** Safe inside <script type="application/json">: no `</script>` or `<!--` can close it. */
const jsonForScript = (v: unknown) =>
  JSON.stringify(v)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

export function registerPlayerRoutes(router: Router, ctx: ContentRouteContext): void {
  const { db, config, signer, storage } = ctx;
  const lms = new URL(config.publicUrl).origin;
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'unsafe-eval' ${coreInlineScriptHash()}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob: https:",
    "media-src 'self' data: blob: https:",
    "font-src 'self' data:",
    "frame-src 'self' https:",
    `connect-src 'self' ${lms}`,
    "object-src 'none'",
    "form-action 'none'",
    `frame-ancestors ${lms}`,
  ].join('; ');

  router.use(
    '/h5p/standalone',
    express.static(standaloneDir, { index: false, maxAge: '1d', dotfiles: 'deny' }),
  );
  router.get('/h5p/js/h5p-player.js', (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.sendFile(path.join(publicDir, 'js', 'h5p-player.js'));
  });

  router.get('/h5p/play/:token', async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Security-Policy', csp);
    const launch = await liveLaunch(db, req.params.token);
    const t = (await translatorFor())(launch?.language ?? 'en');
    const version = launch
      ? await versionForAttempt(db, launch.package_id, launch.package_version)
      : undefined;
    const user = launch ? await findUserById(db, launch.user_id) : undefined;
    const page = path.join(viewsDir, 'h5p', 'player.ejs');
    if (!launch || !version || !user) {
      res.status(launch ? 404 : 410);
      return res.send(
        await ejs.renderFile(page, { t, lang: launch?.language ?? 'en', config: null, configJson: '' }),
      );
    }
    const manifest = version.manifest as { title?: string } | null;
    const base = signer.basePath(launch.package_id, version.version).replace(/\/$/, '');
    const libraries = `/h5p/libraries/${signer.token(LIBRARIES_SCOPE, 1, libraryExpiry(config.contentTokenTtlSeconds))}`;
    const endpoint = `${config.publicUrl}/h5p/launches/${req.params.token}`;
    const playerConfig = {
      contentId: launch.activity_id,
      title: manifest?.title ?? '',
      iri: activityIri(config.publicUrl, launch.activity_id),
      h5pJsonPath: base,
      contentJsonPath: `${base}/content`,
      librariesPath: libraries,
      frameJs: '/h5p/standalone/frame.bundle.js',
      frameCss: '/h5p/standalone/styles/h5p.css',
      // The learner's name is what H5P shows and puts in its statements; the platform sets the actor itself,
      // so package code never gets the learner's email address.
      user: { name: user.name, mail: `${user.id}@learners.invalid` },
      statementsUrl: `${endpoint}/statements`,
      userDataUrl: `${endpoint}/user-data/:dataType/:subContentId`,
      saveFreq: SAVE_EVERY_SECONDS,
      lmsOrigin: lms,
      text: { loading: t('h5p:player.loading'), failed: t('h5p:player.failed') },
    };
    res.type('html').send(
      await ejs.renderFile(page, {
        t,
        lang: launch.language,
        config: playerConfig,
        configJson: jsonForScript(playerConfig),
      }),
    );
  });

  const keys = new Map<string, { key: string | undefined; at: number }>();
  const storageKey = async (folder: string) => {
    const hit = keys.get(folder);
    if (hit && Date.now() - hit.at < 10_000) return hit.key;
    const m = FOLDER.exec(folder)!;
    const key = await storageKeyOf(db, {
      machineName: m[1]!,
      majorVersion: Number(m[2]),
      minorVersion: Number(m[3]),
    });
    if (keys.size > 5000) keys.clear();
    keys.set(folder, { key, at: Date.now() });
    return key;
  };

  router.get('/h5p/libraries/:token/:folder/*file', async (req, res) => {
    const problem = (status: number, key: string) =>
      sendContentProblem(req, res, { status, key, fallback: config.defaultLanguage });
    const { token, folder } = req.params;
    if (!signer.verify(token, LIBRARIES_SCOPE, 1)) return problem(403, 'packages:content.expired');
    const segments = (req.params as unknown as { file: string[] }).file;
    if (!FOLDER.test(folder) || !segments.every(SEGMENT_OK)) return problem(404, 'packages:content.notFound');
    const key = await storageKey(folder);
    const file = key ? await storage.open(`${key}/${segments.join('/')}`) : null;
    if (!file) return problem(404, 'packages:content.notFound');
    const name = segments.at(-1)!;
    res.setHeader(
      'Content-Type',
      mime.contentType(mime.lookup(name) || 'application/octet-stream') || 'application/octet-stream',
    );
    res.setHeader('Content-Length', String(file.size));
    res.setHeader('Cache-Control', 'private, max-age=3600');
    if (req.method === 'HEAD') return res.end();
    const stream = file.stream();
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  });
}
