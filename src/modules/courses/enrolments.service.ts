import type { Db } from '../../platform/db.js';
import { Conflict, Forbidden, NotFound, ValidationFailed } from '../../platform/errors.js';
import type { SessionUser } from '../../platform/http/types.js';
import { findUserByEmail, isUuid } from '../accounts/index.js';
import { activeMemberIds, findGroupById } from '../groups/index.js';
import { firstActivityOf } from './activities.repo.js';
import * as courses from './courses.repo.js';
import * as policy from './courses.policy.js';
import { courseForEditor } from './courses.service.js';
import * as repo from './enrolments.repo.js';
import { learningProgressOf } from './learning-progress.js';

export const ENROLMENTS_PAGE_SIZE = 50;

/** A learner enrols themselves; enrolling again changes nothing (`created` is false). */
export async function selfEnrol(db: Db, user: SessionUser, slug: string) {
  const course = await courses.findCourseBySlug(db, slug);
  if (!course) throw new NotFound('course');
  const existing = await repo.findEnrolment(db, course.id, user.id);
  if (!policy.mayViewCourse(user, course, existing)) throw new NotFound('course');
  if (existing && existing.status !== 'withdrawn') return { course, enrolment: existing, created: false };
  if (policy.wasWithdrawnByOthers(user, existing)) throw new Forbidden('courses:errors.withdrawnByOthers');
  if (!policy.maySelfEnrol(user, course, existing)) throw new Forbidden('courses:errors.selfEnrolClosed');
  const created = (await repo.enrolLearners(db, course.id, [user.id], user.id)).length > 0;
  return { course, enrolment: (await repo.findEnrolment(db, course.id, user.id))!, created };
}

/** A course whose learners this user may enrol and withdraw (coordinators and admins). */
async function courseForEnroller(db: Db, actor: SessionUser, courseId: string) {
  const course = await courseForEditor(db, actor, courseId);
  if (!policy.mayEnrolOthers(actor)) throw new Forbidden();
  if (course.status === 'archived') throw new Conflict('courses:errors.enrolArchived');
  return course;
}

export async function enrolByEmail(db: Db, actor: SessionUser, courseId: string, email: string) {
  const course = await courseForEnroller(db, actor, courseId);
  const learner = await findUserByEmail(db, email);
  if (!learner) throw new ValidationFailed({ email: 'courses:errors.unknownEmail' });
  if (learner.status === 'disabled') throw new ValidationFailed({ email: 'courses:errors.learnerDisabled' });
  const enrolled = await repo.enrolLearners(db, course.id, [learner.id], actor.id);
  return { course, name: learner.name, created: enrolled.length > 0 };
}

/** Enrols every member of a group who is not enrolled yet; the others are counted as skipped. */
export async function enrolGroup(db: Db, actor: SessionUser, courseId: string, groupId: string) {
  const course = await courseForEnroller(db, actor, courseId);
  const group = await findGroupById(db, groupId);
  if (!group) throw new ValidationFailed({ group_id: 'courses:errors.group' });
  return db.transaction(async (trx) => {
    const members = await activeMemberIds(trx, group.id);
    const enrolled = await repo.enrolLearners(trx, course.id, members, actor.id);
    return { course, group, enrolled: enrolled.length, skipped: members.length - enrolled.length };
  });
}

export async function withdraw(db: Db, actor: SessionUser, courseId: string, enrolmentId: string) {
  const course = await courseForEditor(db, actor, courseId);
  if (!policy.mayEnrolOthers(actor)) throw new Forbidden();
  const enrolment = isUuid(enrolmentId) ? await repo.findEnrolmentView(db, enrolmentId) : undefined;
  if (!enrolment || enrolment.course_id !== course.id) throw new NotFound('enrolment');
  await repo.withdrawEnrolment(db, enrolment.id, actor.id);
  return enrolment;
}

export async function courseEnrolments(db: Db, actor: SessionUser, courseId: string, page: number) {
  const course = await courseForEditor(db, actor, courseId);
  if (!policy.mayListEnrolments(actor, course)) throw new NotFound('course');
  const { enrolments, total } = await repo.listEnrolmentsOfCourse(db, course.id, {
    limit: ENROLMENTS_PAGE_SIZE,
    offset: (page - 1) * ENROLMENTS_PAGE_SIZE,
  });
  return { course, enrolments, total, pages: Math.max(1, Math.ceil(total / ENROLMENTS_PAGE_SIZE)) };
}

/**
 * My learning: the user's enrolments, each with whether its course page is open to them, its progress, and where
 * Continue takes them (the activity they touched last, else the course's first; none once withdrawn).
 */
export async function myLearning(db: Db, user: SessionUser) {
  const rows = await repo.listEnrolmentsOfUser(db, user.id);
  const progress = await learningProgressOf(
    db,
    rows.map((e) => e.id),
  );
  const first = await firstActivityOf(db, [...new Set(rows.map((e) => e.course_id))]);
  return rows.map((e) => {
    const courseOpen = policy.mayViewCourse(user, courseFacts(e), e);
    const p = progress.get(e.id);
    const activityId = p?.lastActivityId ?? first.get(e.course_id);
    const continueUrl =
      courseOpen && e.status !== 'withdrawn' && activityId
        ? `/courses/${e.course_slug}/activities/${activityId}`
        : null;
    return {
      ...e,
      courseOpen,
      progress: p ?? { status: 'not_started', progressPct: 0, lastActivityId: null },
      continueUrl,
    };
  });
}

/** One enrolment, to its learner, the course owner, coordinators and admins; 404 for anyone else. */
export async function enrolmentForViewer(db: Db, viewer: SessionUser, id: string) {
  const enrolment = isUuid(id) ? await repo.findEnrolmentView(db, id) : undefined;
  if (!enrolment || !policy.mayViewEnrolment(viewer, enrolment, courseFacts(enrolment)))
    throw new NotFound('enrolment');
  return { ...enrolment, courseOpen: policy.mayViewCourse(viewer, courseFacts(enrolment), enrolment) };
}

const courseFacts = (e: repo.EnrolmentView) => ({
  owner_id: e.course_owner_id,
  status: e.course_status,
  visibility: e.course_visibility,
  self_enrol: e.course_self_enrol,
});
