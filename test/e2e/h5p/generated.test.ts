import assert from 'node:assert/strict';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { activityIri } from '../../../src/modules/h5p/index.js';
import { launchBrowser, seriousA11yViolations, watchConsole } from '../../helpers/browser.js';
import { tempFile } from '../../integration/packages/helpers.js';
import { SCRIPTED_SVG, h5pPackage } from '../../integration/h5p/helpers.js';
import { contentFrame, h5pCourse, shotsDir, signInAs, startH5pServer, type H5pServer } from './helpers.js';

// Runs without ../shared/fixtures: a generated package with a tiny content type of our own and an SVG
// that carries a script.
describe('h5p: a generated package in Chromium (tracking, preview, a scripted SVG)', function () {
  this.timeout(300_000);
  let server: H5pServer;
  let browser: Browser;
  let page: Page;
  let problems: string[];
  let setup: Awaited<ReturnType<typeof h5pCourse>>;

  before(async () => {
    server = await startH5pServer();
    const file = tempFile(
      await h5pPackage({
        title: 'Scripted picture',
        content: JSON.stringify({
          text: 'A picture with a script inside',
          image: { path: 'images/evil.svg', mime: 'image/svg+xml' },
        }),
        files: [{ name: 'content/images/evil.svg', data: SCRIPTED_SVG }],
      }),
      'scripted.h5p',
    );
    setup = await h5pCourse(server, [file]);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    problems = watchConsole(page);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  const activityUrl = () =>
    `${server.url}/courses/${setup.course.slug}/activities/${setup.activities[0]!.id}`;

  it('plays it for the learner and records the answer under the content IRI', async () => {
    await signInAs(page, server.url, setup.learner);
    await page.goto(activityUrl());
    const frame = await contentFrame(page, server.contentOrigin);
    await frame.getByText('A picture with a script inside').waitFor();
    await frame.getByRole('button', { name: 'Answer' }).click();
    const iri = activityIri(server.url, setup.activities[0]!.id);
    let row:
      { statement: { result: { score: { scaled: number } }; context: { registration: string } } } | undefined;
    for (let n = 0; n < 100 && !row; n++) {
      row = await server.ctx
        .db('statements')
        .where({ activity_id: iri, verb_id: 'http://adlnet.gov/expapi/verbs/answered' })
        .first('statement');
      if (!row) await page.waitForTimeout(100);
    }
    assert.equal(row?.statement.result.score.scaled, 1);
    assert.equal(row?.statement.context.registration, setup.enrolment.registration);
    if (shotsDir) await page.screenshot({ path: path.join(shotsDir, 'h5p-generated.png'), fullPage: true });
    assert.deepEqual(await seriousA11yViolations(page), []);
    assert.deepEqual(problems, []);
  });

  it('never runs the SVG script on the LMS origin: the SVG is served by the content origin only', async () => {
    await page.goto(activityUrl());
    const frame = await contentFrame(page, server.contentOrigin);
    const img = frame.locator('img.wch-hello-image');
    await img.waitFor();
    const src = (await img.getAttribute('src'))!;
    const svgUrl = new URL(src, server.contentOrigin).href;
    assert.ok(svgUrl.startsWith(server.contentOrigin + '/p/'), svgUrl);
    // shown as an image: no script runs, on either origin
    assert.equal(
      await page.evaluate(() => (window as unknown as { __svgRanOn?: string }).__svgRanOn),
      undefined,
    );
    assert.equal(
      await frame.evaluate(() => (window as unknown as { __svgRanOn?: string }).__svgRanOn),
      undefined,
    );

    // The LMS origin serves no package file.
    const onLms = await page.request.get(server.url + new URL(svgUrl).pathname);
    assert.equal(onLms.status(), 404);

    // Opened on its own by the signed-in learner, the script runs on the content origin (nosniff, a CSP),
    // where it gets no cookie of the LMS and cannot read LMS pages.
    const context = await browser.newContext();
    const direct = await context.newPage();
    await signInAs(direct, server.url, setup.learner);
    const res = await direct.goto(svgUrl);
    assert.equal(res?.headers()['x-content-type-options'], 'nosniff');
    assert.match(res?.headers()['content-security-policy'] ?? '', /frame-ancestors/);
    assert.equal(
      await direct.evaluate(() => document.documentElement.getAttribute('data-ran-on')),
      server.contentOrigin,
    );
    assert.equal(
      await direct.evaluate(() => document.cookie),
      '',
      'no cookie of the LMS on the content origin',
    );
    const read = await direct.evaluate(
      (lms) =>
        fetch(lms + '/my-learning', { credentials: 'include' })
          .then((r) => r.text())
          .catch(() => 'refused'),
      server.url,
    );
    assert.equal(read, 'refused', 'the content origin cannot read LMS pages');
    await context.close();
  });

  it('shows an admin who is not enrolled a preview that no progress counts', async () => {
    const admin = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    const adminProblems = watchConsole(admin);
    await signInAs(admin, server.url, setup.admin);
    await admin.goto(activityUrl());
    await admin.getByText(/Preview: you are not enrolled/).waitFor();
    const frame = await contentFrame(admin, server.contentOrigin);
    await frame.getByRole('button', { name: 'Answer' }).click();
    const launch = (await server.ctx.db('h5p_launches').where({ user_id: setup.admin.id }).first()) as {
      preview: boolean;
      registration: string;
    };
    assert.equal(launch.preview, true);
    assert.notEqual(launch.registration, setup.enrolment.registration);
    assert.deepEqual(adminProblems, []);
    await admin.close();
  });
});
