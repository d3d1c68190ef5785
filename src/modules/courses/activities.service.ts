import type { Db } from '../../platform/db.js';
import { Forbidden, NotFound } from '../../platform/errors.js';
import type { SessionUser } from '../../platform/http/types.js';
import { isUuid } from '../accounts/index.js';
import * as repo from './activities.repo.js';
import * as courses from './courses.repo.js';
import * as policy from './courses.policy.js';
import type { Direction, PageActivityForm } from './courses.schemas.js';
import { courseForEditor } from './courses.service.js';
import * as enrolments from './enrolments.repo.js';
import { renderMarkdown } from './markdown.js';
import { freeSlug, slugify } from './slug.js';
import type { Language } from '../../platform/i18n.js';

export const PAGE_KIND = 'page';

const pageIdOf = (a: repo.ActivityRow) =>
  typeof a.content_ref.pageId === 'string' ? a.content_ref.pageId : '';

async function activityOf(db: Db, courseId: string, activityId: string): Promise<repo.ActivityRow> {
  const activity = isUuid(activityId) ? await repo.findActivity(db, courseId, activityId) : undefined;
  if (!activity) throw new NotFound('activity');
  return activity;
}

/** A page activity with its text, for the edit form. */
export async function pageForEditor(db: Db, actor: SessionUser, courseId: string, activityId: string) {
  const course = await courseForEditor(db, actor, courseId);
  const activity = await activityOf(db, course.id, activityId);
  if (activity.kind !== PAGE_KIND) throw new NotFound('activity');
  const page = await repo.findPage(db, course.id, pageIdOf(activity));
  return { course, activity, body: page?.body ?? '' };
}

export async function addPage(db: Db, actor: SessionUser, courseId: string, form: PageActivityForm) {
  const course = await courseForEditor(db, actor, courseId);
  return db.transaction(async (trx) => {
    await courses.lockCourse(trx, course.id);
    const page = await repo.insertPage(trx, { courseId: course.id, body: form.body });
    return repo.insertActivity(trx, {
      courseId: course.id,
      kind: PAGE_KIND,
      title: form.title,
      contentRef: { pageId: page.id },
    });
  });
}

export async function updatePage(
  db: Db,
  actor: SessionUser,
  courseId: string,
  activityId: string,
  form: PageActivityForm,
) {
  const { course, activity } = await pageForEditor(db, actor, courseId, activityId);
  await db.transaction(async (trx) => {
    await repo.updateActivity(trx, activity.id, { title: form.title });
    await repo.updatePage(trx, pageIdOf(activity), form.body);
  });
  return { course, activity };
}

export async function activityForEditor(db: Db, actor: SessionUser, courseId: string, activityId: string) {
  const course = await courseForEditor(db, actor, courseId);
  return { course, activity: await activityOf(db, course.id, activityId) };
}

export async function deleteActivity(db: Db, actor: SessionUser, courseId: string, activityId: string) {
  const { course, activity } = await activityForEditor(db, actor, courseId, activityId);
  await db.transaction(async (trx) => {
    await courses.lockCourse(trx, course.id);
    await repo.deleteActivity(trx, activity.id);
    if (activity.kind === PAGE_KIND) await repo.deletePage(trx, pageIdOf(activity));
  });
  return activity;
}

/** Swaps the activity with its neighbour; returns its new place (1-based) and the number of activities. */
export async function moveActivity(
  db: Db,
  actor: SessionUser,
  courseId: string,
  activityId: string,
  direction: Direction,
) {
  const course = await courseForEditor(db, actor, courseId);
  return db.transaction(async (trx) => {
    await courses.lockCourse(trx, course.id);
    const activity = await activityOf(trx, course.id, activityId);
    const other = await repo.neighbour(trx, course.id, activity.position, direction);
    if (other) {
      await repo.updateActivity(trx, activity.id, { position: other.position });
      await repo.updateActivity(trx, other.id, { position: activity.position });
    }
    const all = await repo.listActivities(trx, course.id);
    return { activity, place: all.findIndex((a) => a.id === activity.id) + 1, of: all.length };
  });
}

/** An activity as a learner opens it: enrolled learners, the owner, coordinators and admins. */
export async function activityForViewer(
  db: Db,
  viewer: SessionUser | undefined,
  slug: string,
  activityId: string,
) {
  const course = await courses.findCourseBySlug(db, slug);
  if (!course) throw new NotFound('course');
  const enrolment = viewer ? ((await enrolments.findEnrolment(db, course.id, viewer.id)) ?? null) : null;
  if (!policy.mayViewCourse(viewer, course, enrolment)) throw new NotFound('course');
  const activity = await activityOf(db, course.id, activityId);
  if (!policy.mayOpenActivities(viewer, course, enrolment)) throw new Forbidden('courses:errors.enrolFirst');
  const all = await repo.listActivities(db, course.id);
  const index = all.findIndex((a) => a.id === activity.id);
  const page =
    activity.kind === PAGE_KIND ? await repo.findPage(db, course.id, pageIdOf(activity)) : undefined;
  return {
    course,
    activity,
    enrolment,
    html: page ? renderMarkdown(page.body) : null,
    place: index + 1,
    of: all.length,
    previous: all[index - 1] ?? null,
    next: all[index + 1] ?? null,
  };
}

/**
 * Adds an activity whose content lives in another module (`scorm`, `h5p`, `cmi5` packages): `contentRef`
 * points at it (e.g. `{ packageId }`). The actor must be allowed to edit the course, else 404.
 */
export async function addContentActivity(
  db: Db,
  actor: SessionUser,
  courseId: string,
  a: { kind: string; title: string; contentRef: Record<string, unknown> },
) {
  if (a.kind === PAGE_KIND || !/^[a-z0-9]+$/.test(a.kind)) throw new Error(`not a content kind: ${a.kind}`);
  const course = await courseForEditor(db, actor, courseId);
  return db.transaction(async (trx) => {
    await courses.lockCourse(trx, course.id);
    const activity = await repo.insertActivity(trx, {
      courseId: course.id,
      kind: a.kind,
      title: a.title.slice(0, 200),
      contentRef: a.contentRef,
    });
    return { course, activity };
  });
}

/** The courses this user may add activities to (for a picker), newest drafts first. */
export async function editableCourses(db: Db, actor: SessionUser, limit = 200) {
  const { courses: list } = await courses.listTeachCourses(db, {
    ownerId: policy.maySeeAllCourses(actor) ? undefined : actor.id,
    limit,
    offset: 0,
  });
  return list.filter((c) => policy.mayEditCourse(actor, c) && c.status !== 'archived');
}

/** A new draft course (members only, open to self-enrolment) owned by the actor, holding this one content activity. */
export async function addContentActivityToNewCourse(
  db: Db,
  actor: SessionUser,
  c: { title: string; description: string; language: Language },
  a: { kind: string; title: string; contentRef: Record<string, unknown> },
) {
  if (!policy.mayTeach(actor)) throw new NotFound('course');
  return db.transaction(async (trx) => {
    const course = await courses.insertCourse(trx, {
      title: c.title.slice(0, 200),
      description: c.description.slice(0, 5000),
      language: c.language,
      visibility: 'members',
      self_enrol: true,
      owner_id: actor.id,
      slug: await freeSlug(trx, slugify(c.title)),
    });
    return addContentActivity(trx, actor, course.id, a);
  });
}
