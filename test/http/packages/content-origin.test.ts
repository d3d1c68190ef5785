import assert from 'node:assert/strict';
import fs from 'node:fs';
import supertest from 'supertest';
import type { Express } from 'express';
import {
  contentSigner,
  createContentApp,
  importPackage,
  registerContentRoutes,
  registerPackageFormat,
  signedContentUrl,
  type ContentSigner,
} from '../../../src/modules/packages/index.js';
import { scormPackageFormat } from '../../../src/modules/scorm/index.js';
import { signIn, startTestApp, type TestApp } from '../../helpers/http.js';
import { buildUser } from '../../factories.js';
import { minimalScorm12, tempFile } from '../../integration/packages/helpers.js';

registerPackageFormat(scormPackageFormat);
registerContentRoutes((router) =>
  router.get('/player/test', (_req, res) => res.type('html').send('<p>player</p>')),
);

describe('packages: the content origin', function () {
  this.timeout(60_000);
  let t: TestApp;
  let content: Express;
  let signer: ContentSigner;
  let pkgId: string;
  let base: string;

  before(async () => {
    t = await startTestApp();
    const trainer = await buildUser(t.ctx.db, { roles: ['trainer'] });
    const zip = await minimalScorm12({
      extra: [
        { name: 'docs/My Notes.txt', data: 'notes' },
        { name: 'media/clip.mp4', data: Buffer.alloc(1000, 7) },
      ],
    });
    const { package: pkg } = await importPackage(
      { db: t.ctx.db, config: t.ctx.config },
      { zipPath: tempFile(zip), fileName: 'm.zip', actor: trainer },
    );
    pkgId = pkg.id;
    content = await createContentApp({ config: t.ctx.config, db: t.ctx.db, logger: t.ctx.logger });
    signer = await contentSigner(t.ctx);
    base = signer.basePath(pkgId, 1, 60);
  });
  after(async () => {
    await t.close();
    fs.rmSync(t.ctx.config.contentDir, { recursive: true, force: true });
  });

  it('serves package files under a signed path with MIME types, nosniff, no Referer and LMS-only framing', async () => {
    const html = await supertest(content).get(base + 'index.html');
    assert.equal(html.status, 200);
    assert.equal(html.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(html.headers['x-content-type-options'], 'nosniff');
    assert.equal(html.headers['referrer-policy'], 'no-referrer');
    assert.equal(html.headers['content-security-policy'], `frame-ancestors 'self' ${t.ctx.config.publicUrl}`);
    assert.equal(html.headers['set-cookie'], undefined);
    assert.match(html.text, /Hello/);
    // Relative assets resolve under the same signed prefix.
    assert.equal(
      (await supertest(content).get(base + 'js/app.js')).headers['content-type'],
      'text/javascript; charset=utf-8',
    );
    assert.equal(
      (await supertest(content).get(base + 'img/dot.svg')).headers['content-type'],
      'image/svg+xml',
    );
    assert.equal((await supertest(content).get(base + 'docs/My%20Notes.txt')).text, 'notes');
  });

  it('answers byte ranges (video seeking)', async () => {
    const res = await supertest(content)
      .get(base + 'media/clip.mp4')
      .set('Range', 'bytes=10-19');
    assert.equal(res.status, 206);
    assert.equal(res.headers['content-range'], 'bytes 10-19/1000');
    assert.equal(res.headers['content-type'], 'video/mp4');
  });

  it('gives a full signed URL on CONTENT_ORIGIN', async () => {
    const url = await signedContentUrl(t.ctx, pkgId, 1, 'index.html?page=1', 60);
    assert.ok(url.startsWith(`${t.ctx.config.contentOrigin}/p/`));
    assert.ok(url.endsWith(`/${pkgId}/1/index.html?page=1`));
  });

  it('refuses a missing, forged, foreign or expired token (403)', async () => {
    const file = `/${pkgId}/1/index.html`;
    assert.equal((await supertest(content).get(`/p${file}`)).status, 404);
    assert.equal((await supertest(content).get(`/p/nonsense${file}`)).status, 403);
    const forged = signer
      .token(pkgId, 1, Math.floor(Date.now() / 1000) + 60)
      .replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    assert.equal((await supertest(content).get(`/p/${forged}${file}`)).status, 403);
    const otherVersion = signer.token(pkgId, 2, Math.floor(Date.now() / 1000) + 60);
    assert.equal((await supertest(content).get(`/p/${otherVersion}${file}`)).status, 403);
    const expired = signer.token(pkgId, 1, Math.floor(Date.now() / 1000) - 1);
    assert.equal((await supertest(content).get(`/p/${expired}${file}`)).status, 403);
  });

  it('never serves outside the package version: traversal, folders and missing files are 404', async () => {
    for (const p of [
      '%2e%2e/%2e%2e/%2e%2e/etc/passwd',
      '..%2f..%2f2/index.html',
      'js/..%2f..%2f..%2fpackage.json',
      '%5c..%5cimsmanifest.xml',
      'js/',
      'js',
      'nothing.html',
      '',
    ])
      assert.equal((await supertest(content).get(base + p)).status, 404, p);
  });

  it('has nothing of the LMS: no routes, no cookies read or set', async () => {
    const user = await buildUser(t.ctx.db, { roles: ['admin'] });
    const agent = await signIn(t.app, user.email, user.password);
    const lmsCookie = ((await agent.get('/account')).request as unknown as { cookies: string }).cookies;
    for (const p of [
      '/',
      '/signin',
      '/admin',
      '/account',
      '/xapi/about',
      '/static/css/site.css',
      '/healthz',
      '/packages',
    ]) {
      const res = await supertest(content)
        .get(p)
        .set('Cookie', lmsCookie || 'wch.sid=s%3Aanything');
      assert.equal(res.status, 404, p);
      assert.equal(res.headers['set-cookie'], undefined);
    }
    const withCookie = await supertest(content)
      .get(`/p/nonsense/${pkgId}/1/index.html`)
      .set('Cookie', lmsCookie || 'wch.sid=x');
    assert.equal(withCookie.status, 403, 'an LMS cookie grants nothing');
  });

  it('mounts player pages registered by other modules', async () => {
    const res = await supertest(content).get('/player/test');
    assert.equal(res.status, 200);
    assert.equal(res.headers['referrer-policy'], 'no-referrer');
  });
});
