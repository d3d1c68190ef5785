import type { SessionUser } from '../../platform/http/types.js';
import type { CourseStatus, EnrolmentStatus, Visibility } from './courses.schemas.js';

// One function per question. Routes that take an id ask one of these before they answer.
type Viewer = SessionUser | null | undefined;
interface CourseFacts {
  owner_id: string;
  status: CourseStatus;
  visibility: Visibility;
  self_enrol: boolean;
}
interface EnrolmentFacts {
  user_id: string;
  status: EnrolmentStatus;
  withdrawn_by?: string | null;
}

const holds = (u: Viewer, ...roles: SessionUser['roles']) => !!u && roles.some((r) => u.roles.includes(r));
const isManager = (u: Viewer) => holds(u, 'coordinator', 'admin');
const isOwner = (u: Viewer, c: CourseFacts) => !!u && c.owner_id === u.id;

/** Trainers, coordinators and admins have the Teaching pages and may create courses. */
export const mayTeach = (u: Viewer) => holds(u, 'trainer', 'coordinator', 'admin');

/** Coordinators and admins see every course on the Teaching pages; trainers only their own. */
export const maySeeAllCourses = isManager;

export const mayEditCourse = (u: Viewer, c: CourseFacts) =>
  isManager(u) || (isOwner(u, c) && holds(u, 'trainer'));

/** Only coordinators and admins hand a course to another owner. */
export const mayChangeOwner = isManager;

const isLiveEnrolmentOf = (u: Viewer, e: EnrolmentFacts | null | undefined) =>
  !!u && !!e && e.user_id === u.id && e.status !== 'withdrawn';

/** Drafts only for those who edit them; members-only courses only for signed-in users. */
export function mayViewCourse(u: Viewer, c: CourseFacts, e?: EnrolmentFacts | null): boolean {
  if (mayEditCourse(u, c) || isOwner(u, c)) return true;
  if (c.status === 'published') return c.visibility === 'public' || !!u;
  if (c.status === 'archived') return isLiveEnrolmentOf(u, e);
  return false;
}

/** Withdrawn by a coordinator (or before who withdrew was recorded), not by the learner themselves. */
export const wasWithdrawnByOthers = (u: Viewer, e?: EnrolmentFacts | null) =>
  !!u && !!e && e.user_id === u.id && e.status === 'withdrawn' && e.withdrawn_by !== u.id;

/** A learner withdrawn by someone else asks the coordinators to enrol them again. */
export const maySelfEnrol = (u: Viewer, c: CourseFacts, e?: EnrolmentFacts | null) =>
  !!u && c.status === 'published' && c.self_enrol && !wasWithdrawnByOthers(u, e);

/** Activities are for the course's enrolled learners, its owner, coordinators and admins. */
export const mayOpenActivities = (u: Viewer, c: CourseFacts, e?: EnrolmentFacts | null) =>
  mayEditCourse(u, c) || isOwner(u, c) || (c.status !== 'draft' && isLiveEnrolmentOf(u, e));

/** Coordinators and admins enrol learners and groups, and withdraw enrolments. */
export const mayEnrolOthers = (u: Viewer) => isManager(u);

export const mayListEnrolments = (u: Viewer, c: CourseFacts) => mayEditCourse(u, c) || isOwner(u, c);

/** The learner, the course owner, coordinators and admins; anyone else must not learn it exists. */
export const mayViewEnrolment = (u: Viewer, e: EnrolmentFacts, c: CourseFacts) =>
  !!u && (e.user_id === u.id || isManager(u) || isOwner(u, c));
