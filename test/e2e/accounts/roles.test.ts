import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { buildUser } from '../../factories.js';
import {
  launchBrowser,
  seriousA11yViolations,
  startServer,
  watchConsole,
  type RunningApp,
} from '../../helpers/browser.js';
import type { Role } from '../../../src/platform/http/types.js';

const HOME_PANEL: Record<Role, string> = {
  learner: 'My learning',
  trainer: 'Teaching',
  coordinator: 'Coordination',
  admin: 'Administration',
};

describe('signing in as each role (Chromium)', function () {
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

  async function expectAccessible(page: Page) {
    assert.deepEqual(await seriousA11yViolations(page), [], `accessibility of ${page.url()}`);
  }

  for (const role of ['learner', 'trainer', 'coordinator', 'admin'] as Role[]) {
    it(`a ${role} signs in by keyboard and sees the ${role}'s home page`, async () => {
      const user = await buildUser(server.ctx.db, { roles: [role], name: `E2E ${role}` });
      const page = await browser.newPage();
      const problems = watchConsole(page);
      await page.goto(server.url + '/');
      await expectAccessible(page);
      await page.getByRole('link', { name: 'Sign in' }).first().click();
      await expectAccessible(page);
      await page.getByLabel('Email address').fill(user.email);
      await page.getByLabel('Password').fill(user.password);
      await page.keyboard.press('Enter');
      await page.waitForURL(server.url + '/');
      await page.getByRole('heading', { level: 1, name: `Welcome, E2E ${role}` }).waitFor();
      await page.getByRole('heading', { level: 2, name: HOME_PANEL[role] }).waitFor();
      await expectAccessible(page);
      if (role === 'admin') {
        await page.getByRole('link', { name: 'Manage users' }).click();
        await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
        await expectAccessible(page);
      } else {
        assert.equal(await page.getByRole('link', { name: 'Administration' }).count(), 0, 'no admin link');
      }
      assert.deepEqual(problems, []);
      await page.close();
    });
  }

  it('shows a clear message for a wrong password, and the skip link works', async () => {
    const page = await browser.newPage();
    await page.goto(server.url + '/signin');
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to main content' });
    assert.ok(await skip.evaluate((el) => el === document.activeElement), 'the skip link comes first');
    await page.getByLabel('Email address').fill('nobody@example.org');
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'not correct' }).waitFor();
    await expectAccessible(page);
    await page.close();
  });

  it('switches the language of every page', async () => {
    const page = await browser.newPage();
    await page.goto(server.url + '/signin');
    await page.getByLabel('Language').selectOption('fr');
    await page.getByRole('button', { name: 'Change' }).click();
    await page.getByRole('heading', { level: 1, name: 'Connexion' }).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'fr');
    await expectAccessible(page);
    await page.close();
  });

  it('after a refused form, the language switcher comes back to that form’s page', async () => {
    const page = await browser.newPage();
    await page.goto(server.url + '/signin');
    await page.getByLabel('Email address').fill('nobody@example.org');
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'not correct' }).waitFor();
    await page.getByLabel('Language').selectOption('de');
    await page.getByRole('button', { name: 'Change' }).click();
    await page.getByRole('heading', { level: 1, name: 'Anmelden' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/signin');
    await page.close();
  });
});
