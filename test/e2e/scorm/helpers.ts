import fs from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { startContentServer } from '../../../src/content-server.js';
import { importPackage } from '../../../src/modules/packages/index.js';
import { enrolLearners } from '../../../src/modules/courses/enrolments.repo.js';
import { insertActivity } from '../../../src/modules/courses/activities.repo.js';
import type { Db } from '../../../src/platform/db.js';
import { buildUser } from '../../factories.js';
import { freePort, startServer, type RunningApp } from '../../helpers/browser.js';
import { buildCourse } from '../../integration/courses/fixtures.js';

/** Where screenshots go when SCREENSHOTS_DIR is set; else nowhere. */
export const shotsDir = process.env.SCREENSHOTS_DIR;

export interface ScormServer extends RunningApp {
  contentOrigin: string;
}

/** The platform and its content origin, both listening on loopback ports (different sites). */
export async function startScormServer(): Promise<ScormServer> {
  const contentPort = await freePort();
  const contentOrigin = `http://127.0.0.1:${contentPort}`;
  const server = await startServer({ CONTENT_ORIGIN: contentOrigin, CONTENT_PORT: String(contentPort) });
  const content: Server = await startContentServer({
    config: server.ctx.config,
    db: server.ctx.db,
    logger: server.ctx.logger,
    port: contentPort,
  });
  return {
    ...server,
    contentOrigin,
    close: async () => {
      content.closeAllConnections();
      await new Promise((r) => content.close(r));
      await server.close();
      fs.rmSync(server.ctx.config.contentDir, { recursive: true, force: true });
    },
  };
}

/** A SCORM package imported as a trainer would, made the one activity of a published course. */
export async function scormCourse(server: RunningApp, zipPath: string, title = path.basename(zipPath)) {
  const { db, config } = server.ctx;
  const trainer = await buildUser(db, { roles: ['trainer'], name: 'Tess Trainer' });
  const imported = await importPackage(
    { db, config },
    { zipPath, fileName: path.basename(zipPath), actor: { id: trainer.id, roles: trainer.roles } },
  );
  const course = await buildCourse(db, { ownerId: trainer.id, title });
  const activity = await insertActivity(db, {
    courseId: course.id,
    kind: 'scorm',
    title: imported.package.title,
    contentRef: { packageId: imported.package.id },
  });
  return { trainer, course, activity, pkg: imported.package, version: imported.version };
}

/** A learner enrolled in the course; returns the user with the enrolment's registration. */
export async function enrolledLearner(db: Db, courseId: string, name = 'Lea Learner') {
  const learner = await buildUser(db, { roles: ['learner'], name });
  await enrolLearners(db, courseId, [learner.id], null);
  const e = (await db('enrolments').where({ course_id: courseId, user_id: learner.id }).first()) as {
    id: string;
    registration: string;
  };
  return { ...learner, enrolmentId: e.id, registration: e.registration };
}

export async function signInAs(page: Page, baseUrl: string, user: { email: string; password: string }) {
  await page.goto(baseUrl + '/signin');
  await page.getByLabel('Email address').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.keyboard.press('Enter');
  await page.waitForURL(baseUrl + '/');
}

/** The frame of the SCO (inside the player frame of the LMS page), once its document is loaded. */
export async function scoFrame(page: Page, urlPart: string) {
  for (let i = 0; i < 200; i++) {
    const f = page.frames().find((fr) => fr.url().includes(urlPart) && fr.url().includes('/p/'));
    if (f) {
      await f.waitForLoadState('load');
      return f;
    }
    await page.waitForTimeout(50);
  }
  throw new Error(
    `no SCO frame with ${urlPart}; frames: ${page
      .frames()
      .map((f) => f.url())
      .join(', ')}`,
  );
}

/** Waits until the database says so (commits by beacon arrive a moment after the page acted). */
export async function eventually<T>(
  read: () => Promise<T>,
  ok: (v: T) => boolean,
  what: string,
  ms = 10_000,
): Promise<T> {
  const until = Date.now() + ms;
  let last: T = await read();
  while (!ok(last)) {
    if (Date.now() > until)
      throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)?.slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, 100));
    last = await read();
  }
  return last;
}
