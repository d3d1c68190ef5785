import path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { importPackage } from '../../../src/modules/packages/index.js';
import { enrolLearners } from '../../../src/modules/courses/enrolments.repo.js';
import { insertActivity } from '../../../src/modules/courses/activities.repo.js';
import { buildUser } from '../../factories.js';
import type { RunningApp } from '../../helpers/browser.js';
import { buildCourse } from '../../integration/courses/fixtures.js';

export {
  shotsDir,
  signInAs,
  startServerWithContent as startH5pServer,
  type AppWithContent as H5pServer,
} from '../../helpers/browser.js';

/** A published course whose activities are these .h5p files, imported by an admin; one learner enrolled. */
export async function h5pCourse(server: RunningApp, files: string[]) {
  const { db, config } = server.ctx;
  const admin = await buildUser(db, { roles: ['admin'], name: 'Ada Admin' });
  const course = await buildCourse(db, { ownerId: admin.id, title: 'H5P practice' });
  const activities = [];
  for (const file of files) {
    const imported = await importPackage(
      { db, config },
      { zipPath: file, fileName: path.basename(file), actor: { id: admin.id, roles: admin.roles } },
    );
    activities.push(
      await insertActivity(db, {
        courseId: course.id,
        kind: 'h5p',
        title: imported.package.title,
        contentRef: { packageId: imported.package.id },
      }),
    );
  }
  const learner = await buildUser(db, { roles: ['learner'], name: 'Lena Learner' });
  await enrolLearners(db, course.id, [learner.id], admin.id);
  const enrolment = (await db('enrolments').where({ course_id: course.id, user_id: learner.id }).first()) as {
    id: string;
    registration: string;
  };
  return { admin, course, activities, learner, enrolment };
}

/** The frame where H5P content runs: the player page's own frame inside the LMS page's frame. */
export async function contentFrame(page: Page, contentOrigin: string): Promise<Frame> {
  for (let i = 0; i < 300; i++) {
    const player = page.frames().find((f) => f.url().startsWith(contentOrigin + '/h5p/play/'));
    const inner = player?.childFrames()[0];
    if (
      inner &&
      (await inner
        .locator('.h5p-content .h5p-container, .h5p-content[data-content-id] > *')
        .count()
        .catch(() => 0))
    )
      return inner;
    await page.waitForTimeout(100);
  }
  throw new Error('the H5P content did not appear');
}
