import { randomBytes } from 'node:crypto';
import type { Db } from '../../../src/platform/db.js';
import type { Language } from '../../../src/platform/i18n.js';
import { insertActivity, insertPage } from '../../../src/modules/courses/activities.repo.js';
import { insertCourse, type CourseRow } from '../../../src/modules/courses/courses.repo.js';
import type { CourseStatus, Visibility } from '../../../src/modules/courses/courses.schemas.js';

/** A course straight in the database, with `pages` page activities titled "Page 1", "Page 2", … */
export async function buildCourse(
  db: Db,
  o: {
    ownerId: string;
    title?: string;
    status?: CourseStatus;
    visibility?: Visibility;
    selfEnrol?: boolean;
    language?: Language;
    pages?: number;
  },
): Promise<CourseRow & { activityIds: string[] }> {
  const tag = randomBytes(4).toString('hex');
  const course = await insertCourse(db, {
    slug: `course-${tag}`,
    title: o.title ?? `Course ${tag}`,
    description: 'A course for tests.',
    language: o.language ?? 'en',
    owner_id: o.ownerId,
    visibility: o.visibility ?? 'public',
    self_enrol: o.selfEnrol ?? true,
    status: o.status ?? 'published',
  });
  const activityIds: string[] = [];
  for (let i = 1; i <= (o.pages ?? 0); i++) {
    const page = await insertPage(db, { courseId: course.id, body: `Text of page ${i}` });
    const a = await insertActivity(db, {
      courseId: course.id,
      kind: 'page',
      title: `Page ${i}`,
      contentRef: { pageId: page.id },
    });
    activityIds.push(a.id);
  }
  return { ...course, activityIds };
}

export const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
