// Activity kinds of other modules: `registerActivityRenderer(kind, fn)` shows their player (e.g. a frame on the
// content origin) inside /courses/:slug/activities/:id with the course's navigation (added for H5P; SCORM and
// cmi5 may use it too); `registerActivityLauncher` sends the learner to a page of their own instead.
export { coursesRoutes } from './courses.routes.js';
export { homeSummary } from './courses.service.js';
export { addContentActivity, addContentActivityToNewCourse, editableCourses } from './activities.service.js';
export { seedDemoCourses } from './seed.js';
export { renderMarkdown } from './markdown.js';
export { registerLearningProgress, type LearningProgress } from './learning-progress.js';
export type { CourseRow } from './courses.repo.js';
export type { ActivityRow } from './activities.repo.js';
export type { EnrolmentRow } from './enrolments.repo.js';
export {
  createCourse,
  updateCourseFields,
  publishCourse,
  setActivityOfKind,
  markEnrolmentCompleted,
  findCourseById,
  findCourseBySlug,
  courseForLearner,
  registerActivityLauncher,
  registerActivityRenderer,
  findActivityOfKind,
  type ActivityRenderer,
  type ActivityView,
  type CourseFields,
} from './provision.js';
