import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, watchConsole } from '../../helpers/browser.js';
import { enrolledLearner, statementsOf } from '../../integration/scorm/helpers.js';
import {
  BIG_SUSPEND_CHARS,
  BURST_CALLS,
  BURST_INTERACTIONS,
  bigSuspendData,
  closingCourse,
  type ClosingMode,
} from './closing-sco.js';
import { eventually, frameWith, signInAs, startScormServer, type ScormServer } from './helpers.js';

type Obj = Record<string, unknown>;
type Version = '1.2' | '2004';

interface Opened {
  page: Page;
  context: BrowserContext;
  problems: string[];
  registration: string;
  courseUrl: string;
}

/** How the learner (or the LMS page) leaves a SCO that is still running. */
const CLOSING_PATHS: Record<string, (o: Opened, server: ScormServer) => Promise<void>> = {
  "the LMS page's exit button": async ({ page, courseUrl }) => {
    await page.getByRole('button', { name: 'Save and exit' }).click();
    await page.waitForURL(courseUrl);
  },
  'the LMS page removing the player frame': async ({ page }) => {
    await page.evaluate(() => document.getElementById('scorm-frame')!.remove());
  },
  'the LMS page navigating the player frame away': async ({ page }) => {
    await page.evaluate(() => {
      (document.getElementById('scorm-frame') as HTMLIFrameElement).src = 'about:blank';
    });
  },
  'navigating the whole tab away': async ({ page }, server) => {
    await page.goto(server.url + '/');
  },
  'closing the tab': async ({ page }) => {
    await page.close({ runBeforeUnload: true });
  },
};

// Closing paths with SCOs of our own that write only in `onunload` and terminate there (see closing-sco.ts):
// whichever way the SCO goes, its last writes are stored, with the statements they cause.
describe('scorm: closing paths in Chromium (generated SCOs that save in onunload)', function () {
  this.timeout(120_000);
  let server: ScormServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  before(async () => {
    server = await startScormServer();
    browser = await launchBrowser();
  });
  afterEach(async () => {
    for (const c of contexts.splice(0)) await c.close();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  const db = () => server.ctx.db;

  /**
   * A learner in a tab of their own with the SCO started, who has turned `pages` pages (the SCO writes
   * nothing until it unloads). The browser context outlives the tab, as a browser outlives a closed tab.
   */
  async function open(version: Version, mode: ClosingMode, pages = 3): Promise<Opened> {
    const c = await closingCourse(server.ctx, version, mode);
    const learner = await enrolledLearner(db(), c.course.id);
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    const problems = watchConsole(page);
    await signInAs(page, server.url, learner);
    const courseUrl = `${server.url}/courses/${c.course.slug}`;
    await page.goto(`${courseUrl}/activities/${c.activity.id}/scorm`);
    const sco = await frameWith(page, 'sco.html');
    await sco.getByText('API: started').waitFor();
    for (let i = 0; i < pages; i++) await sco.getByRole('button', { name: 'Next page' }).click();
    await sco.getByText(`Page: ${pages}`).waitFor();
    return { page, context, problems, registration: learner.registration, courseUrl };
  }

  async function stored(registration: string) {
    const row = (await db()('scorm_sco_states as s')
      .join('scorm_attempts as a', 'a.id', 's.attempt_id')
      .where('a.registration', registration)
      .first('s.cmi', 's.terminated', 'a.status')) as
      { cmi: { cmi: Obj }; terminated: boolean; status: string } | undefined;
    return row && { cmi: row.cmi.cmi, terminated: row.terminated, attemptStatus: row.status };
  }

  /** The stored SCO once its terminating commit and the end of the session have arrived. */
  const ended = (registration: string) =>
    eventually(
      () => stored(registration),
      (r) => Boolean(r?.terminated) && r!.attemptStatus === 'suspended',
      'the terminated SCO and the suspended attempt',
      15_000,
      (r) => r && { ...r, cmi: JSON.stringify(r.cmi).slice(0, 600) },
    ).then((r) => r!);

  /** The SCO's verbs, as stored. */
  const scoVerbs = async (registration: string) =>
    (await statementsOf(db(), registration)).map((s) => s.verb);

  /** What the SCO wrote in onunload, read back in its version's terms. */
  function written(version: Version, cmi: Obj) {
    const core = (version === '1.2' ? cmi.core : cmi) as Obj;
    return {
      location: version === '1.2' ? core.lesson_location : core.location,
      exit: core.exit,
      sessionTime: core.session_time,
      status: version === '1.2' ? core.lesson_status : core.completion_status,
      suspendData: cmi.suspend_data,
    };
  }

  for (const version of ['1.2', '2004'] as const)
    for (const [how, close] of Object.entries(CLOSING_PATHS))
      it(`SCORM ${version}: leaving by ${how} stores what the SCO wrote in onunload`, async () => {
        const o = await open(version, 'unload');
        await close(o, server);
        const row = await ended(o.registration);
        assert.deepEqual(written(version, row.cmi), {
          location: 'unload-3',
          exit: 'suspend',
          sessionTime: version === '1.2' ? '00:00:42' : 'PT42S',
          status: 'incomplete',
          suspendData: 'calls=5 count=0 failures=none',
        });
        assert.deepEqual(await scoVerbs(o.registration), ['launched', 'initialized', 'suspended']);
        const [suspended] = (await statementsOf(db(), o.registration)).filter((s) => s.verb === 'suspended');
        assert.equal(
          (suspended!.statement.result as Obj).duration,
          version === '1.2' ? 'PT0H0M42S' : 'PT42S',
        );
        assert.deepEqual(o.problems, []);
      });

  for (const version of ['1.2', '2004'] as const)
    it(`SCORM ${version}: a burst of ${BURST_CALLS} SetValue calls with ${BURST_INTERACTIONS} appended interactions in onunload, then the exit button: all stored`, async () => {
      const o = await open(version, 'burst');
      await CLOSING_PATHS["the LMS page's exit button"]!(o, server);
      const row = await ended(o.registration);
      const w = written(version, row.cmi);
      assert.equal(
        w.suspendData,
        `calls=${BURST_CALLS} count=${BURST_INTERACTIONS} failures=none`,
        'every call answered true and _count exact',
      );
      assert.equal(w.location, 'burst-3');
      const interactions = Object.values(row.cmi.interactions as Obj) as Obj[];
      assert.equal(interactions.length, BURST_INTERACTIONS);
      interactions.forEach((it, i) => {
        assert.equal(it.id, `q${i}`);
        assert.equal(it[version === '1.2' ? 'student_response' : 'learner_response'], i % 3 ? 'a' : 'b');
      });
      const statements = await statementsOf(db(), o.registration);
      const answered = statements.filter((s) => s.verb === 'answered');
      assert.equal(answered.length, BURST_INTERACTIONS);
      assert.deepEqual(
        answered.map((s) => (s.statement.result as Obj).success),
        interactions.map((_, i) => i % 3 !== 0),
      );
      assert.deepEqual(
        (await scoVerbs(o.registration)).filter((v) => v !== 'answered'),
        ['launched', 'initialized', 'suspended'],
      );
      assert.deepEqual(o.problems, []);
    });

  /** The 64,000 characters are stored whole, and the SCO's other last writes with them. */
  async function assertBigKept(registration: string) {
    const row = await ended(registration);
    const w = written('2004', row.cmi);
    assert.equal(w.location, 'unload-3');
    assert.equal((w.suspendData as string).length, BIG_SUSPEND_CHARS);
    assert.ok(w.suspendData === bigSuspendData(), 'the suspend data is stored exactly as written');
    const comments = Object.values(row.cmi.comments_from_learner as Obj) as Obj[];
    assert.equal(comments[0]!.comment, 'calls=6 count=0 failures=none');
    assert.deepEqual(await scoVerbs(registration), ['launched', 'initialized', 'suspended']);
  }

  // written in onunload, the suspend data goes with the final commit: in parts, as it exceeds one beacon
  // (where the player frame goes too, the browser ended the content process before the SCO's unload handler
  // was done, on this loaded machine: those paths are covered by the test below for large data)
  for (const how of ["the LMS page's exit button"])
    it(`SCORM 2004: ${BIG_SUSPEND_CHARS.toLocaleString('en')} characters of suspend data written in onunload, then ${how}: kept whole`, async () => {
      const o = await open('2004', 'big');
      await CLOSING_PATHS[how]!(o, server);
      await assertBigKept(o.registration);
      assert.deepEqual(o.problems, []);
    });

  // written during the session and closed at once, before any autocommit
  for (const how of [
    'closing the tab',
    'navigating the whole tab away',
    'the LMS page removing the player frame',
  ])
    it(`SCORM 2004: ${BIG_SUSPEND_CHARS.toLocaleString('en')} characters of suspend data written during the session, then at once ${how}: kept whole`, async () => {
      const o = await open('2004', 'fill');
      const sco = await frameWith(o.page, 'sco.html');
      await sco.getByRole('button', { name: 'Save notes' }).click();
      await sco.getByText('Notes: saved').waitFor();
      await CLOSING_PATHS[how]!(o, server);
      // the player committed the large write at once: kept whatever becomes of the SCO's unload handler
      const row = await eventually(
        () => stored(o.registration),
        (r) => (r?.cmi.suspend_data as string | undefined)?.length === BIG_SUSPEND_CHARS,
        'the suspend data',
        15_000,
        (r) => r && String(r.cmi.suspend_data).length,
      );
      assert.ok(row!.cmi.suspend_data === bigSuspendData(), 'the suspend data is stored exactly as written');
      assert.deepEqual(o.problems, []);
    });
});
