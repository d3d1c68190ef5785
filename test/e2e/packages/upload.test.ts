import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { startContentServer } from '../../../src/content-server.js';
import { buildUser } from '../../factories.js';
import {
  freePort,
  launchBrowser,
  seriousA11yViolations,
  signInAs,
  startServer,
  watchConsole,
  type RunningApp,
} from '../../helpers/browser.js';
import {
  fixture,
  haveFixtures,
  minimalScorm12,
  scorm12Manifest,
  tempFile,
  zipBuffer,
} from '../../integration/packages/helpers.js';

/** Where screenshots go when SCREENSHOTS_DIR is set (to look at the pages); else nowhere. */
const shots = process.env.SCREENSHOTS_DIR;

describe('packages: upload in the browser (Chromium)', function () {
  this.timeout(120_000);
  let server: RunningApp;
  let content: Server;
  let browser: Browser;
  let page: Page;
  let problems: string[];

  before(async () => {
    const contentPort = await freePort();
    server = await startServer({
      CONTENT_ORIGIN: `http://127.0.0.1:${contentPort}`,
      CONTENT_PORT: String(contentPort),
    });
    content = await startContentServer({
      config: server.ctx.config,
      db: server.ctx.db,
      logger: server.ctx.logger,
      port: contentPort,
    });
    browser = await launchBrowser();
    const trainer = await buildUser(server.ctx.db, { roles: ['trainer'], name: 'Tess Trainer' });
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    problems = watchConsole(page);
    // Records the XHR upload progress across the navigation that follows it.
    await page.addInitScript(() => {
      const send = XMLHttpRequest.prototype.send;
      XMLHttpRequest.prototype.send = function (body) {
        this.upload.addEventListener('progress', (e) => {
          const bar = document.querySelector('#upload-progress') as HTMLProgressElement | null;
          sessionStorage.setItem(
            'seen',
            `${e.lengthComputable ? Math.round((e.loaded / e.total) * 100) : -1}:${bar?.value ?? ''}:${bar?.closest('[hidden]') ? 'hidden' : 'shown'}`,
          );
        });
        return send.call(this, body);
      };
    });
    await signInAs(page, server.url, trainer);
  });
  after(async () => {
    await browser?.close();
    content?.closeAllConnections();
    await new Promise((r) => (content ? content.close(r) : r(undefined)));
    await server?.close();
    if (server) fs.rmSync(server.ctx.config.contentDir, { recursive: true, force: true });
  });

  const shoot = async (name: string) => {
    if (shots) await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
  };

  it('uploads a package with the progress bar and shows its validation report', async () => {
    const file = haveFixtures
      ? fixture('scorm12/RuntimeMinimumCalls_SCORM12.zip')
      : tempFile(await minimalScorm12({ title: 'Golf Explained - generated' }), 'generated.zip');
    await page.goto(server.url + '/packages/new');
    await page.getByRole('heading', { level: 1, name: 'Upload a package' }).waitFor();
    assert.deepEqual(await seriousA11yViolations(page), []);
    await shoot('packages-upload');
    await page.getByLabel('Package file').setInputFiles(file);
    await page.getByRole('button', { name: 'Upload and check' }).click();
    await page.waitForURL(/\/packages\/[0-9a-f-]{36}$/);
    const seen = await page.evaluate(() => sessionStorage.getItem('seen'));
    assert.match(seen ?? '', /^100:\d+:shown$/, `the progress bar was shown and filled (${seen})`);
    await page.getByRole('heading', { level: 2, name: 'Validation report' }).waitFor();
    await page
      .getByText(/was imported/)
      .first()
      .waitFor();
    await page
      .getByText(/Golf Explained/)
      .first()
      .waitFor();
    assert.deepEqual(await seriousA11yViolations(page), []);
    await shoot('packages-report');
    // The launch file opens on the content origin through a signed path.
    const [popup] = await Promise.all([
      page.waitForEvent('popup'),
      page.getByRole('link', { name: 'Open the launch file' }).click(),
    ]);
    await popup.waitForLoadState();
    assert.match(popup.url(), /^http:\/\/127\.0\.0\.1:\d+\/p\/[^/]+\/[0-9a-f-]{36}\/1\//);
    await popup.close();
    assert.deepEqual(problems, []);
  });

  it('shows the refusal report in place when a package is refused', async () => {
    const zip = await zipBuffer([
      { name: 'imsmanifest.xml', data: scorm12Manifest({ href: 'missing/start.html' }) },
    ]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wch-e2e-'));
    const file = path.join(dir, 'broken.zip');
    fs.writeFileSync(file, zip);
    await page.goto(server.url + '/packages/new');
    await page.getByLabel('Package file').setInputFiles(file);
    await page.getByRole('button', { name: 'Upload and check' }).click();
    await page.getByRole('heading', { level: 1, name: 'Package refused' }).waitFor();
    await page
      .getByText('The launch file “missing/start.html” of item “item_1” is not in the package.', {
        exact: false,
      })
      .waitFor();
    assert.deepEqual(await seriousA11yViolations(page), []);
    await shoot('packages-refused');
    assert.equal(
      await server.ctx
        .db('packages')
        .where({ title: 'Minimal course' })
        .count({ n: '*' })
        .then((r) => Number((r[0] as { n: number | string }).n)),
      0,
    );
  });
});
