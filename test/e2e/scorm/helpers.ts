import type { Frame, Page } from 'playwright-core';

export {
  shotsDir,
  signInAs,
  startServerWithContent as startScormServer,
  type AppWithContent as ScormServer,
} from '../../helpers/browser.js';

/** A frame of the page (SCOs are two frames down: LMS page → player → SCO) whose URL contains `part`, loaded. */
export async function frameWith(page: Page, part: string | RegExp, ms = 15_000): Promise<Frame> {
  const until = Date.now() + ms;
  const match = (url: string) => (typeof part === 'string' ? url.includes(part) : part.test(url));
  for (;;) {
    const f = page.frames().find((fr) => !fr.isDetached() && match(fr.url()));
    if (f) {
      await f.waitForLoadState('load');
      return f;
    }
    if (Date.now() > until)
      throw new Error(
        `no frame with ${String(part)}; frames: ${page
          .frames()
          .map((x) => x.url())
          .join(', ')}`,
      );
    await page.waitForTimeout(50);
  }
}

/** Waits until `read` gives what `ok` accepts (commits by beacon arrive a moment after the page acted). */
export async function eventually<T>(
  read: () => Promise<T>,
  ok: (v: T) => boolean,
  what: string,
  ms = 15_000,
  show: (v: T) => unknown = (v) => v,
): Promise<T> {
  const until = Date.now() + ms;
  let last: T = await read();
  while (!ok(last)) {
    if (Date.now() > until)
      throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(show(last))?.slice(0, 1500)}`);
    await new Promise((r) => setTimeout(r, 100));
    last = await read();
  }
  return last;
}

/** The state of the TOC buttons: sco → enabled / current. */
export const tocState = (page: Page) =>
  page.locator('.scorm-toc-item').evaluateAll((els) =>
    Object.fromEntries(
      els.map((e) => [
        e.getAttribute('data-sco'),
        {
          enabled: !(e as HTMLButtonElement).disabled && e.getAttribute('aria-disabled') !== 'true',
          current: e.getAttribute('aria-current') === 'step',
        },
      ]),
    ),
  ) as Promise<Record<string, { enabled: boolean; current: boolean }>>;

/** Sends a navigation request to the player as the LMS page does (also ones its buttons would not offer). */
export const askPlayer = (page: Page, message: Record<string, unknown>) =>
  page.evaluate((m) => {
    const frame = document.getElementById('scorm-frame') as HTMLIFrameElement;
    const origin = JSON.parse(document.getElementById('scorm-launch')!.textContent!).contentOrigin as string;
    frame.contentWindow!.postMessage({ wch: 'scorm', ...m }, origin);
  }, message);

// ---- the golf examples (Rustici Software, scorm.com)

/** Clicks the golf SCO's own "Next ->" button `n` times (its pages are in its own inner frame). */
export async function golfNext(sco: Frame, n: number) {
  for (let i = 0; i < n; i++) {
    const before = await golfPage(sco);
    await sco.locator('#butNext').click();
    await sco.waitForFunction(
      (p) => (window as unknown as { currentPage: number }).currentPage === p,
      before + 1,
    );
  }
}

export const golfPage = (sco: Frame) =>
  sco.evaluate(() => (window as unknown as { currentPage: number }).currentPage);

/** Answers the golf knowledge check as a learner: the right answers, or the first wrong ones; then submits. */
export async function answerGolfTest(page: Page, right = true) {
  const test = await frameWith(page, 'assessmenttemplate.html');
  await test.locator('input[type=button][value="Submit Answers"]').waitFor();
  if (right) {
    for (const r of await test.locator('.correctAnswer input[type=radio]').all()) await r.check();
  } else {
    const ids = await test.locator('.question').evaluateAll((qs) => qs.map((q) => q.id));
    for (const id of ids) {
      const wrong = test.locator(`[id="${id}"] .answer input[type=radio]`).first();
      if (await wrong.count()) await wrong.check();
    }
  }
  for (const box of await test.locator('input[type=text]').all()) {
    const text = (await box.locator('xpath=..').textContent()) ?? '';
    const answer = /\((\d+)\)/.exec(text)?.[1] ?? '0';
    await box.fill(right ? answer : String(Number(answer) + 1));
  }
  await test.locator('input[type=button][value="Submit Answers"]').click();
  await test.getByRole('heading', { name: /^Score: / }).waitFor();
  return Number(
    /Score: (\d+)/.exec((await test.getByRole('heading', { name: /^Score: / }).textContent()) ?? '')?.[1],
  );
}
