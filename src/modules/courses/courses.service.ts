import type { Db } from '../../platform/db.js';
import { Conflict, NotFound, ValidationFailed } from '../../platform/errors.js';
import type { SessionUser } from '../../platform/http/types.js';
import { findUserByEmail, isUuid } from '../accounts/index.js';
import { countGroups } from '../groups/index.js';
import * as policy from './courses.policy.js';
import * as repo from './courses.repo.js';
import type { CatalogueQuery, CourseForm, CourseStatus } from './courses.schemas.js';
import * as activities from './activities.repo.js';
import * as enrolments from './enrolments.repo.js';
import { freeSlug, slugify } from './slug.js';

export const CATALOGUE_PAGE_SIZE = 12;
export const TEACH_PAGE_SIZE = 25;

const isUniqueViolation = (err: unknown) => (err as { code?: string } | null)?.code === '23505';

export async function catalogue(db: Db, viewer: SessionUser | undefined, q: CatalogueQuery) {
  const { courses, total } = await repo.listCatalogue(db, {
    search: q.q,
    language: q.lang,
    includeMembersOnly: !!viewer,
    limit: CATALOGUE_PAGE_SIZE,
    offset: (q.page - 1) * CATALOGUE_PAGE_SIZE,
  });
  return { courses, total, pages: Math.max(1, Math.ceil(total / CATALOGUE_PAGE_SIZE)) };
}

/** The course page as this viewer may see it; 404 when they may not know it exists. */
export async function courseForViewer(db: Db, viewer: SessionUser | undefined, slug: string) {
  const course = await repo.findCourseBySlug(db, slug);
  if (!course) throw new NotFound('course');
  const enrolment = viewer ? ((await enrolments.findEnrolment(db, course.id, viewer.id)) ?? null) : null;
  if (!policy.mayViewCourse(viewer, course, enrolment)) throw new NotFound('course');
  return {
    course,
    enrolment,
    activities: await activities.listActivities(db, course.id),
    mayOpen: policy.mayOpenActivities(viewer, course, enrolment),
    maySelfEnrol: policy.maySelfEnrol(viewer, course, enrolment),
    withdrawnByOthers: policy.wasWithdrawnByOthers(viewer, enrolment),
    mayEdit: policy.mayEditCourse(viewer, course),
  };
}

/** A course on the Teaching pages; another trainer's course answers 404 like one that does not exist. */
export async function courseForEditor(db: Db, actor: SessionUser, id: string): Promise<repo.CourseListRow> {
  const course = isUuid(id) ? await repo.findCourseById(db, id) : undefined;
  if (!course || !policy.mayEditCourse(actor, course)) throw new NotFound('course');
  return course;
}

export async function teachList(db: Db, actor: SessionUser, page: number) {
  const { courses, total } = await repo.listTeachCourses(db, {
    ownerId: policy.maySeeAllCourses(actor) ? undefined : actor.id,
    limit: TEACH_PAGE_SIZE,
    offset: (page - 1) * TEACH_PAGE_SIZE,
  });
  return { courses, total, pages: Math.max(1, Math.ceil(total / TEACH_PAGE_SIZE)) };
}

async function ownerFrom(db: Db, actor: SessionUser, form: CourseForm, current?: string): Promise<string> {
  if (!form.owner_email || !policy.mayChangeOwner(actor)) return current ?? actor.id;
  const owner = await findUserByEmail(db, form.owner_email);
  if (!owner) throw new ValidationFailed({ owner_email: 'courses:errors.ownerUnknown' });
  if (owner.id !== current && !policy.mayTeach(owner))
    throw new ValidationFailed({ owner_email: 'courses:errors.ownerNotTrainer' });
  return owner.id;
}

async function slugFor(db: Db, form: CourseForm, courseId?: string): Promise<string> {
  if (!form.slug) return freeSlug(db, slugify(form.title), courseId);
  const taken = await db('courses')
    .where({ slug: form.slug })
    .modify((q) => {
      if (courseId) q.whereNot('id', courseId);
    })
    .first('id');
  if (taken) throw new ValidationFailed({ slug: 'courses:errors.slugTaken' });
  return form.slug;
}

const fieldsOf = (form: CourseForm) => ({
  title: form.title,
  description: form.description,
  language: form.language,
  visibility: form.visibility,
  self_enrol: form.self_enrol,
});

export async function createCourse(db: Db, actor: SessionUser, form: CourseForm): Promise<repo.CourseRow> {
  if (!policy.mayTeach(actor)) throw new NotFound('course');
  const owner_id = await ownerFrom(db, actor, form);
  try {
    return await repo.insertCourse(db, { ...fieldsOf(form), owner_id, slug: await slugFor(db, form) });
  } catch (err) {
    if (isUniqueViolation(err)) throw new ValidationFailed({ slug: 'courses:errors.slugTaken' });
    throw err;
  }
}

export async function updateCourse(db: Db, actor: SessionUser, id: string, form: CourseForm): Promise<void> {
  const course = await courseForEditor(db, actor, id);
  const owner_id = await ownerFrom(db, actor, form, course.owner_id);
  try {
    await repo.updateCourse(db, course.id, {
      ...fieldsOf(form),
      owner_id,
      slug: await slugFor(db, form, course.id),
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new ValidationFailed({ slug: 'courses:errors.slugTaken' });
    throw err;
  }
}

export async function setCourseStatus(
  db: Db,
  actor: SessionUser,
  id: string,
  status: CourseStatus,
): Promise<repo.CourseListRow> {
  const course = await courseForEditor(db, actor, id);
  await db.transaction(async (trx) => {
    await repo.lockCourse(trx, course.id);
    // A draft is hidden from its learners: archiving takes a course out of the catalogue and keeps it open to them.
    if (
      status === 'draft' &&
      course.status !== 'draft' &&
      (await enrolments.hasLiveEnrolments(trx, course.id))
    )
      throw new Conflict('courses:errors.draftWithEnrolments');
    await repo.updateCourse(trx, course.id, {
      status,
      ...(status === 'published' && !course.published_at ? { published_at: trx.fn.now() } : {}),
    });
  });
  return course;
}

/** The numbers on the home page's panels. */
export async function homeSummary(db: Db, user: SessionUser) {
  const [{ count }] = (await db('users').count({ count: '*' })) as unknown as [{ count: number | string }];
  return {
    enrolments: await enrolments.countLiveEnrolmentsOfUser(db, user.id),
    ownCourses: await repo.countCoursesOwnedBy(db, user.id),
    groups: await countGroups(db),
    users: Number(count),
  };
}
