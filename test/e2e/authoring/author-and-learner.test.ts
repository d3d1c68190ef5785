import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
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
import { createI18n } from '../../../src/platform/i18n.js';
import * as repo from '../../../src/modules/authoring/authoring.repo.js';
import { diskFileStore } from '../../../src/modules/authoring/files.storage.js';
import { exportPublished } from '../../../src/modules/authoring/export.service.js';
import { asSession, buildAuthoredCourse } from '../../integration/authoring/fixtures.js';
import { XSS } from '../../integration/authoring/xss.js';

describe('authoring by keyboard, then taking the course tracked (Chromium)', function () {
  this.timeout(180_000);
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

  async function accessible(page: Page) {
    assert.deepEqual(await seriousA11yViolations(page), [], `accessibility of ${page.url()}`);
  }
  /** Focuses a control and presses Enter: what a keyboard user does. */
  async function press(page: Page, locator: ReturnType<Page['getByRole']>) {
    await locator.focus();
    await page.keyboard.press('Enter');
  }

  it('a member writes, reorders and publishes a course without a mouse; a learner takes it', async () => {
    const author = await buildUser(server.ctx.db, { roles: ['learner'], name: 'Ada Author' });
    const page = await browser.newPage();
    const problems = watchConsole(page);
    await signInAs(page, server.url, author);

    await press(page, page.getByRole('link', { name: 'Write a course' }));
    await page.getByRole('heading', { level: 1, name: 'Write a course' }).waitFor();
    await accessible(page);
    await page.getByLabel('Title').focus();
    await page.keyboard.type('Keyboard course');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Keyboard course' }).waitFor();
    await accessible(page);
    const courseUrl = page.url();
    const courseId = courseUrl.split('/').pop()!;

    // Details autosave when the focus leaves the form.
    await page.getByLabel('Description').focus();
    await page.keyboard.type('Written with the keyboard only.');
    await page.getByLabel('Licence').focus();
    await page.keyboard.press('Tab');
    await page.getByLabel('Licence').selectOption('cc-by');
    await page.getByLabel('Attribution').focus();
    await page.keyboard.type('Ada');
    await page.keyboard.press('Tab');
    await page.getByLabel('Who may see it').focus();
    await page.keyboard.press('Shift+Tab');
    await page.getByRole('link', { name: 'Course page' }).count(); // nothing published yet
    await page
      .locator('form[data-autosave] [data-save-status]')
      .first()
      .filter({ hasText: /Saved at/ })
      .waitFor();
    const saved = (await repo.findAuthoredCourse(server.ctx.db, courseId))!;
    assert.equal(saved.description, 'Written with the keyboard only.');
    assert.equal(saved.attribution, 'Ada');

    // Two lessons; the first gets a text block with a live preview.
    await page.getByLabel('New lesson').focus();
    await page.keyboard.type('First lesson');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'First lesson' }).waitFor();
    await press(page, page.getByRole('button', { name: 'Add the block' }));
    const text = page.getByRole('textbox', { name: 'Text', exact: true });
    await text.focus();
    await page.keyboard.type('Hello **keyboard**');
    await page.locator('.markdown-preview strong', { hasText: 'keyboard' }).waitFor();
    await page.keyboard.press('Tab');
    await page
      .getByText(/Saved at/)
      .first()
      .waitFor();
    await accessible(page);
    await press(page, page.getByRole('link', { name: 'Back to “Keyboard course”' }));
    await page.getByRole('heading', { level: 1, name: 'Keyboard course' }).waitFor();
    await page.getByLabel('New lesson').focus();
    await page.keyboard.type('Second lesson');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Second lesson' }).waitFor();
    await page.getByLabel('Kind of block').selectOption('quiz');
    await press(page, page.getByRole('button', { name: 'Add the block' }));
    await page.getByLabel('Pass mark (%)').fill('50');
    await page.getByLabel('New question').selectOption('truefalse');
    await press(page, page.getByRole('button', { name: 'Add the question' }));
    await page.getByRole('heading', { level: 1, name: /Edit the question/ }).waitFor();
    await accessible(page);
    await page.getByLabel('Question', { exact: true }).fill('Keyboards have keys.');
    await page.getByLabel('True', { exact: true }).check();
    await page.getByLabel('Feedback when the learner answers “False”').fill('Look down at your keyboard.');
    await press(page, page.getByRole('button', { name: 'Save' }));
    await page.getByText(/Saved at/).waitFor();
    await press(page, page.getByRole('link', { name: /Back to the lesson/ }));
    await page.getByRole('heading', { level: 1, name: 'Second lesson' }).waitFor();
    await press(page, page.getByRole('link', { name: 'Back to “Keyboard course”' }));
    await page.getByRole('heading', { level: 1, name: 'Keyboard course' }).waitFor();
    await page.waitForLoadState('load');

    // Reorder by keyboard: the second lesson moves up, the focus stays on the control.
    const lessonTitles = () => page.locator('.outline-lesson > a').allTextContents();
    assert.deepEqual(await lessonTitles(), ['First lesson', 'Second lesson']);
    await press(page, page.getByRole('button', { name: /^Move up\s*: Second lesson$/ }));
    await page.getByText('Moved to position 1 of 2.').waitFor();
    assert.deepEqual(await lessonTitles(), ['Second lesson', 'First lesson']);
    assert.equal(
      await page.evaluate(() => document.activeElement?.textContent?.trim()),
      'Move down: Second lesson',
    );
    const dbOrder = (await repo.listLessons(server.ctx.db, courseId))
      .sort((a, b) => a.position - b.position)
      .map((l) => l.title);
    assert.deepEqual(dbOrder, ['Second lesson', 'First lesson']);
    await page.reload();
    assert.deepEqual(await lessonTitles(), ['Second lesson', 'First lesson']);
    await accessible(page);

    await press(page, page.getByRole('button', { name: 'Publish version 1' }));
    await page.getByText('Version 1 is published.').waitFor();
    const slug = new URL(
      (await page.getByRole('link', { name: 'Course page' }).getAttribute('href')) ?? '',
      server.url,
    ).pathname
      .split('/')
      .pop()!;
    await accessible(page);
    assert.deepEqual(problems, []);
    await page.close();

    // A learner enrols and takes it.
    const learner = await buildUser(server.ctx.db, { roles: ['learner'] });
    const lp = await browser.newPage();
    const lproblems = watchConsole(lp);
    await signInAs(lp, server.url, learner);
    await lp.goto(`${server.url}/courses/${slug}`);
    await press(lp, lp.getByRole('button', { name: 'Enrol' }));
    await press(lp, lp.getByRole('link', { name: 'Continue' }));
    await lp.waitForURL(`${server.url}/learn/${slug}`);
    await lp.getByRole('heading', { level: 1, name: 'Keyboard course' }).waitFor();
    await accessible(lp);
    await press(lp, lp.getByRole('link', { name: 'Start' }));
    await lp.getByRole('heading', { level: 1, name: 'Second lesson' }).waitFor();
    await accessible(lp);
    await press(lp, lp.getByRole('button', { name: /Done, next/ }));
    await lp.getByText('Check your answers to the quiz of this lesson first.').waitFor();
    await lp.getByLabel('False').check();
    await press(lp, lp.getByRole('button', { name: 'Check my answers' }));
    await lp.getByText('Look down at your keyboard.').waitFor();
    await accessible(lp);
    await lp.getByLabel('True').check();
    await press(lp, lp.getByRole('button', { name: 'Check my answers again' }));
    await lp.getByText(/Quiz passed with 100 %/).waitFor();
    await press(lp, lp.getByRole('button', { name: /Done, next: First lesson/ }));
    await lp.getByRole('heading', { level: 1, name: 'First lesson' }).waitFor();
    await lp.locator('strong', { hasText: 'keyboard' }).waitFor();
    await press(lp, lp.getByRole('button', { name: 'Done, finish the course' }));
    await lp.getByText('Well done: you have completed the course.').waitFor();
    await accessible(lp);
    await lp.goto(`${server.url}/my-learning`);
    await lp.getByRole('cell', { name: 'Completed' }).waitFor();
    assert.deepEqual(lproblems, []);
    await lp.close();

    const enrolment = await server.ctx.db('enrolments').where({ user_id: learner.id }).first();
    assert.equal(enrolment.status, 'completed');
    const verbs = (
      await server.ctx
        .db('statements')
        .where({ registration: enrolment.registration })
        .whereLike('activity_id', `${server.url}/xapi/activities/authored/${courseId}%`)
        .orderBy('seq')
    ).map((r: { verb_id: string }) => r.verb_id.split('/').pop());
    assert.deepEqual(verbs, [
      'launched',
      'initialized',
      'answered',
      'failed',
      'answered',
      'passed',
      'completed',
      'progressed',
      'completed',
      'progressed',
      'completed',
    ]);
  });

  it('runs no authored script in any page, and the plain HTML export works offline', async () => {
    const author = await buildUser(server.ctx.db, { name: XSS[1]! });
    const store = diskFileStore(server.ctx.config.contentDir);
    const built = await buildAuthoredCourse(server.ctx.db, store, asSession(author), {
      publish: server.ctx.config,
      texts: {
        title: XSS[1]!,
        markdown: XSS.join('\n\n'),
        alt: XSS[1]!,
        prompt: XSS[0]!,
        feedback: XSS[2]!,
        lesson: XSS[2]!,
      },
    });
    const slug = (await server.ctx.db('courses').where({ id: built.published!.courseId }).first()).slug;
    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const problems = watchConsole(page);
    await signInAs(page, server.url, author);
    const base = `/authoring/courses/${built.course.id}`;
    for (const p of [
      base,
      `${base}/lessons/${built.lessons[0]!.id}`,
      `${base}/lessons/${built.lessons[1]!.id}`,
      `/learn/${slug}`,
      `/learn/${slug}/lessons/${built.lessons[1]!.id}`,
    ]) {
      await page.goto(server.url + p);
      await page.waitForLoadState('load');
    }
    await page.getByRole('button', { name: 'Check my answers' }).click();
    await page.waitForLoadState('load');

    // The plain HTML export, from the disk, with the same corpus.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wch-html-'));
    const row = (await repo.findAuthoredCourse(server.ctx.db, built.course.id))!;
    const { files } = await exportPublished({ ...server.ctx, i18n: await createI18n() }, store, row, 'html');
    for (const f of files) {
      fs.mkdirSync(path.join(dir, path.dirname(f.path)), { recursive: true });
      fs.writeFileSync(path.join(dir, f.path), f.data);
    }
    await page.goto(pathToFileURL(path.join(dir, 'index.html')).href);
    await page.getByText('Your progress is not recorded by a learning platform here.').waitFor();
    await page.locator('section.lesson:not([hidden])').getByRole('button', { name: 'Next' }).click();
    await page.locator('input[name="q_qsingle"][value="b"]').check();
    await page.locator('input[name="q_qmulti"][value="a"]').check();
    await page.locator('input[name="q_qmulti"][value="c"]').check();
    await page.locator('input[name="q_qtf"][value="true"]').check();
    await page.locator('input[name="q_qshort"]').fill('xapi');
    await page.getByRole('button', { name: 'Check my answers' }).click();
    await page.getByText('Score: 100 %. Passed.').waitFor();
    await page.locator('section.lesson:not([hidden])').getByRole('button', { name: 'Next' }).click();
    await page.getByText('You have completed the course.').waitFor();
    assert.deepEqual(problems, []);
    await accessible(page); // axe reads the stylesheet by XHR, which file: pages refuse: checked above
    fs.rmSync(dir, { recursive: true, force: true });

    assert.deepEqual(dialogs, []);
    await page.close();
  });
});
