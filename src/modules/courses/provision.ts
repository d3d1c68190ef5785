import type { Db } from '../../platform/db.js';
import type { Language } from '../../platform/i18n.js';
import type { SessionUser } from '../../platform/http/types.js';
import * as activities from './activities.repo.js';
import * as courses from './courses.repo.js';
import * as enrolments from './enrolments.repo.js';
import * as policy from './courses.policy.js';
import type { Visibility } from './courses.schemas.js';
import { freeSlug, slugify } from './slug.js';

// For modules that make courses of their own content (authoring; later packages): they decide who may,
// this module keeps the rows, enrolment, the catalogue and My learning working as for any course.

export interface CourseFields {
  title: string;
  description: string;
  language: Language;
  visibility: Visibility;
}

/** A new draft course owned by `ownerId`, open to self-enrolment, its slug made from the title. */
export async function createCourse(db: Db, ownerId: string, f: CourseFields, slug?: string) {
  return courses.insertCourse(db, {
    ...f,
    owner_id: ownerId,
    self_enrol: true,
    slug: slug ?? (await freeSlug(db, slugify(f.title))),
  });
}

export const updateCourseFields = (db: Db, courseId: string, f: CourseFields) =>
  courses.updateCourse(db, courseId, f);

/** Publishes the course (keeps the first publication date). */
export async function publishCourse(db: Db, courseId: string): Promise<void> {
  const course = await courses.findCourseById(db, courseId);
  await courses.updateCourse(db, courseId, {
    status: 'published',
    ...(course && !course.published_at ? { published_at: db.fn.now() } : {}),
  });
}

/** The course's one activity of this kind gets this title and content_ref; added when it has none. */
export async function setActivityOfKind(
  db: Db,
  courseId: string,
  a: { kind: string; title: string; contentRef: Record<string, unknown> },
): Promise<activities.ActivityRow> {
  await courses.lockCourse(db, courseId);
  const existing = (await activities.listActivities(db, courseId)).find((x) => x.kind === a.kind);
  if (!existing) return activities.insertActivity(db, { courseId, ...a });
  await db('activities')
    .where({ id: existing.id })
    .update({ title: a.title, content_ref: JSON.stringify(a.contentRef), updated_at: db.fn.now() });
  return { ...existing, title: a.title, content_ref: a.contentRef };
}

/** The enrolment is completed (learner finished the course); withdrawn ones stay withdrawn. */
export const markEnrolmentCompleted = (db: Db, enrolmentId: string) =>
  db('enrolments')
    .where({ id: enrolmentId, status: 'active' })
    .update({ status: 'completed', completed_at: db.fn.now(), updated_at: db.fn.now() });

export const findCourseById = (db: Db, id: string) => courses.findCourseById(db, id);
export const findCourseBySlug = (db: Db, slug: string) => courses.findCourseBySlug(db, slug);

/**
 * A course as this viewer may take it: the course, their enrolment and whether they may open its
 * activities (as on the activity pages). Undefined when they must not learn that it exists.
 */
export async function courseForLearner(db: Db, viewer: SessionUser | undefined, slug: string) {
  const course = await courses.findCourseBySlug(db, slug);
  if (!course) return undefined;
  const enrolment = viewer ? ((await enrolments.findEnrolment(db, course.id, viewer.id)) ?? null) : null;
  if (!policy.mayViewCourse(viewer, course, enrolment)) return undefined;
  return { course, enrolment, mayOpen: policy.mayOpenActivities(viewer, course, enrolment) };
}

/** An activity of this kind (any course), e.g. an H5P content that another course's block points at. */
export const findActivityOfKind = (db: Db, id: string, kind: string) =>
  db<activities.ActivityRow>('activities').where({ id, kind }).first();

type Launcher = (course: { id: string; slug: string }, activity: activities.ActivityRow) => string;
const launchers = new Map<string, Launcher>();

/** Activities of this kind open at the address the launcher gives (their module renders them). */
export function registerActivityLauncher(kind: string, launcher: Launcher): void {
  launchers.set(kind, launcher);
}
export const launcherFor = (kind: string): Launcher | undefined => launchers.get(kind);

/** What a content module shows inside the course's activity page (a player frame): a view and its locals. */
export interface ActivityView {
  /** A view under views/, e.g. `h5p/_activity`; included in `courses/activity` below the title. */
  view: string;
  locals: Record<string, unknown>;
}
export type ActivityRenderer = (a: {
  course: courses.CourseRow;
  activity: activities.ActivityRow;
  /** The viewer's enrolment (null for owners, coordinators and admins who open it without one). */
  enrolment: enrolments.EnrolmentRow | null;
  viewer: SessionUser;
  lang: Language;
}) => Promise<ActivityView>;
const renderers = new Map<string, ActivityRenderer>();

/** Activities of this kind show what the renderer gives inside the course's activity page (with its navigation). */
export function registerActivityRenderer(kind: string, renderer: ActivityRenderer): void {
  renderers.set(kind, renderer);
}
export const rendererFor = (kind: string): ActivityRenderer | undefined => renderers.get(kind);
