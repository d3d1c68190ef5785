import assert from 'node:assert/strict';
import fs from 'node:fs';
import supertest from 'supertest';
import type { Express } from 'express';
import {
  contentSigner,
  createContentApp,
  importPackage,
  registerPackageFormat,
} from '../../../src/modules/packages/index.js';
import { scormPackageFormat } from '../../../src/modules/scorm/index.js';
import { startTestApp, type TestApp } from '../../helpers/http.js';
import { buildUser } from '../../factories.js';
import { minimalScorm12, tempFile } from '../../integration/packages/helpers.js';

registerPackageFormat(scormPackageFormat);

const langOf = (html: string) => /<html lang="([a-z]+)">/.exec(html)?.[1];

describe('packages: what the content origin refuses, in the learner’s language', function () {
  this.timeout(60_000);
  let t: TestApp;
  let content: Express;
  let base: string;
  let pkgId: string;

  before(async () => {
    t = await startTestApp();
    const trainer = await buildUser(t.ctx.db, { roles: ['trainer'] });
    const { package: pkg } = await importPackage(
      { db: t.ctx.db, config: t.ctx.config },
      { zipPath: tempFile(await minimalScorm12()), fileName: 'm.zip', actor: trainer },
    );
    pkgId = pkg.id;
    content = await createContentApp({ config: t.ctx.config, db: t.ctx.db, logger: t.ctx.logger });
    base = (await contentSigner(t.ctx)).basePath(pkgId, 1, 60);
  });
  after(async () => {
    await t.close();
    fs.rmSync(t.ctx.config.contentDir, { recursive: true, force: true });
  });

  it('answers an expired or forged link with a page in the Accept-Language of the request', async () => {
    const res = await supertest(content)
      .get(`/p/nonsense/${pkgId}/1/index.html`)
      .set('Accept-Language', 'de-CH,de;q=0.9,en;q=0.5');
    assert.equal(res.status, 403);
    assert.match(String(res.headers['content-type']), /^text\/html/);
    assert.equal(res.headers['content-language'], 'de');
    assert.match(String(res.headers.vary), /Accept-Language/);
    assert.equal(langOf(res.text), 'de');
    assert.match(res.text, /<title>Fehler 403<\/title>/);
    assert.match(res.text, /Dieser Link ist abgelaufen oder ungültig\./);
  });

  it('answers a missing file and a range beyond its end the same way', async () => {
    const missing = await supertest(content)
      .get(base + 'nothing.html')
      .set('Accept-Language', 'fr');
    assert.equal(missing.status, 404);
    assert.equal(langOf(missing.text), 'fr');
    assert.match(missing.text, /Ce fichier ne fait pas partie du paquet\./);
    const range = await supertest(content)
      .get(base + 'index.html')
      .set('Range', 'bytes=999999-')
      .set('Accept-Language', 'nl');
    assert.equal(range.status, 416);
    assert.equal(langOf(range.text), 'nl');
    assert.match(range.text, /Dit deel van het bestand bestaat niet\./);
  });

  it('falls back to the platform’s default language', async () => {
    const res = await supertest(content).get('/nowhere').set('Accept-Language', 'ja');
    assert.equal(res.status, 404);
    assert.equal(langOf(res.text), t.ctx.config.defaultLanguage);
  });
});
