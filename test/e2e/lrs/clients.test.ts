import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { buildUser } from '../../factories.js';
import {
  launchBrowser,
  seriousA11yViolations,
  signInAs,
  startServer,
  watchConsole,
  type RunningApp,
} from '../../helpers/browser.js';

describe('LRS clients admin pages (Chromium)', function () {
  this.timeout(120_000);
  let server: RunningApp;
  let browser: Browser;

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  const expectAccessible = async (page: Page) =>
    assert.deepEqual(await seriousA11yViolations(page), [], `accessibility of ${page.url()}`);

  it('an admin creates a client, copies its secret once, uses it, and disables it', async () => {
    const admin = await buildUser(server.ctx.db, { roles: ['admin'] });
    const page = await browser.newPage();
    const problems = watchConsole(page);
    await signInAs(page, server.url, admin);

    await page.goto(server.url + '/admin/lrs');
    await page.getByRole('heading', { level: 1, name: 'LRS clients' }).waitFor();
    await expectAccessible(page);
    await page.getByRole('link', { name: 'New LRS client' }).click();
    await page.getByRole('heading', { level: 1, name: 'New LRS client' }).waitFor();
    await expectAccessible(page);

    // Without a name and scopes, the form says what is missing.
    await page.getByLabel('statements/write').uncheck();
    await page.getByLabel('statements/read/mine').uncheck();
    await page.getByLabel('Name').fill(' ');
    await page.getByRole('button', { name: 'Create the client' }).click();
    await page.getByText('Choose at least one scope.').waitFor();
    await expectAccessible(page);

    await page.getByLabel('Name').fill('H5P authoring');
    await page.getByLabel('statements/write').check();
    await page.getByRole('checkbox', { name: /^state / }).check();
    await page.getByRole('button', { name: 'Create the client' }).click();
    await page.getByRole('heading', { level: 1, name: 'LRS client created' }).waitFor();
    await expectAccessible(page);
    const codes = await page.locator('dd code').allTextContents();
    const [, key, secret] = codes;
    assert.ok(key && secret);

    const about = await fetch(
      `${server.url}/xapi/activities/profile?activityId=http%3A%2F%2Fexample.org%2Fa`,
      {
        headers: {
          Authorization: `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`,
          'X-Experience-API-Version': '1.0.3',
        },
      },
    );
    assert.equal(about.status, 403, 'no profile scope was given');

    await page.getByRole('link', { name: '← All LRS clients' }).click();
    await page.getByRole('button', { name: 'Disable the client H5P authoring' }).click();
    await page.getByText('The client H5P authoring is disabled').waitFor();
    await expectAccessible(page);
    // The refused form answers 422 on purpose; nothing else may show up in the console.
    assert.deepEqual(
      problems.filter((p) => !p.includes('422')),
      [],
    );
    await page.close();
  });
});
