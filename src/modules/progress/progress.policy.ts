import type { SessionUser } from '../../platform/http/types.js';

type Viewer = SessionUser | null | undefined;
const holds = (u: Viewer, ...roles: SessionUser['roles']) => !!u && roles.some((r) => u.roles.includes(r));

/** Coordinators and admins report on every course and learner. */
export const mayReportAll = (u: Viewer) => holds(u, 'coordinator', 'admin');

/** The Reports pages: trainers (their courses), coordinators and admins (all). */
export const mayOpenReports = (u: Viewer) => holds(u, 'trainer', 'coordinator', 'admin');

/** A course's report: coordinators and admins, or the trainer who owns it. */
export const mayReportCourse = (u: Viewer, c: { owner_id: string }) =>
  mayReportAll(u) || (holds(u, 'trainer') && !!u && c.owner_id === u.id);

/** One learner's detail in a course: whoever may report the course, and the learner themself. */
export const mayViewLearnerInCourse = (u: Viewer, c: { owner_id: string }, learnerId: string) =>
  mayReportCourse(u, c) || (!!u && u.id === learnerId);

/** Who may change how a course is completed: its owner (a trainer), coordinators and admins. */
export const mayEditRule = (u: Viewer, c: { owner_id: string }) => mayReportCourse(u, c);
