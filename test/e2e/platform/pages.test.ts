import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { Browser, BrowserContext } from 'playwright-core';
import { seedDemo } from '../../../src/seed.js';
import {
  launchBrowser,
  screenshot,
  seriousA11yViolations,
  signInAs,
  startServer,
  watchConsole,
  type RunningApp,
} from '../../helpers/browser.js';

type Who = 'visitor' | 'learner' | 'trainer' | 'coordinator' | 'admin';
const PHONE = { width: 375, height: 740 };

/**
 * The pages each role uses most, on the demo data (courses, an enrolment, a cohort, mail in the outbox):
 * axe finds nothing serious on them, and on a 375 px phone none is wider than the screen.
 */
describe('the main pages of each role, on a desktop and on a phone (Chromium)', function () {
  this.timeout(300_000);
  let server: RunningApp;
  let browser: Browser;
  const passwords: Record<string, string> = {};
  const pages = {} as Record<Who, string[]>;

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    const printed = (await seedDemo(server.ctx.db, server.ctx.config)) ?? '';
    for (const m of printed.matchAll(/^\s+(\w+)\s+\S+@demo\.workcoophub\.test\s+(\S+)$/gm))
      passwords[m[1]!] = m[2]!;
    const db = server.ctx.db;
    const course = await db('courses').where({ slug: 'freelancing-in-the-cooperative' }).first('id', 'slug');
    const group = await db('groups').first('id');
    const learner = await db('users').where({ email: 'learner@demo.workcoophub.test' }).first('id');
    const course_ = `/courses/${course.slug}`;
    pages.visitor = ['/', '/courses', course_, '/signin', '/password/forgot'];
    pages.learner = ['/', '/my-learning', '/courses', course_, '/account', '/reports', '/certificates'];
    pages.trainer = [
      '/teach',
      `/teach/courses/${course.id}`,
      `/teach/courses/${course.id}/enrolments`,
      '/packages',
      '/authoring',
    ];
    pages.coordinator = [
      '/groups',
      `/groups/${group.id}`,
      `/reports/courses/${course.id}`,
      `/reports/learners/${learner.id}`,
      '/certificates/manage',
    ];
    pages.admin = ['/admin', '/admin/users', '/admin/audit', '/admin/outbox', '/admin/lrs', '/account'];

    // A mail in the outbox, as a visitor who forgot their password leaves one.
    const page = await browser.newPage();
    await page.goto(server.url + '/password/forgot');
    await page.getByLabel('Email address').fill('learner@demo.workcoophub.test');
    await page.getByLabel('Email address').press('Enter');
    await page.getByRole('status').filter({ hasText: 'a link is on its way' }).waitFor();
    await page.close();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    if (server) fs.rmSync(server.ctx.config.contentDir, { recursive: true, force: true });
  });

  async function signedIn(who: Who, viewport?: typeof PHONE): Promise<BrowserContext> {
    const context = await browser.newContext(viewport ? { viewport } : {});
    if (who !== 'visitor') {
      const page = await context.newPage();
      await signInAs(page, server.url, { email: `${who}@demo.workcoophub.test`, password: passwords[who]! });
      await page.close();
    }
    return context;
  }

  for (const who of ['visitor', 'learner', 'trainer', 'coordinator', 'admin'] as Who[]) {
    it(`${who}: no serious axe findings on a desktop`, async () => {
      const context = await signedIn(who);
      const page = await context.newPage();
      const problems = watchConsole(page);
      for (const path of pages[who]) {
        const res = await page.goto(server.url + path);
        assert.equal(res?.status(), 200, path);
        assert.deepEqual(await seriousA11yViolations(page), [], `accessibility of ${path}`);
        await screenshot(page, `pages-${who}${path.replace(/\W+/g, '-')}`);
      }
      assert.deepEqual(problems, []);
      await context.close();
    });

    it(`${who}: every page fits a 375 px phone`, async () => {
      const context = await signedIn(who, PHONE);
      const page = await context.newPage();
      for (const path of pages[who]) {
        await page.goto(server.url + path);
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= PHONE.width, `${path} is ${width} px wide`);
        assert.deepEqual(await seriousA11yViolations(page), [], `accessibility of ${path} on a phone`);
        await screenshot(page, `pages-phone-${who}${path.replace(/\W+/g, '-')}`);
      }
      await context.close();
    });
  }

  it('the admin’s outbox and audit log show what happened', async () => {
    const context = await signedIn('admin');
    const page = await context.newPage();
    await page.goto(server.url + '/admin/outbox');
    assert.ok((await page.locator('main article.card').count()) >= 1, 'a mail in the outbox');
    await page.goto(server.url + '/admin/audit');
    assert.ok((await page.locator('main table tbody tr').count()) >= 1, 'entries in the audit log');
    await context.close();
  });
});
