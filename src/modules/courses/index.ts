export { coursesRoutes } from './courses.routes.js';
export { homeSummary } from './courses.service.js';
export { addContentActivity, addContentActivityToNewCourse, editableCourses } from './activities.service.js';
export { seedDemoCourses } from './seed.js';
export { renderMarkdown } from './markdown.js';
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
  findActivityOfKind,
  type CourseFields,
} from './provision.js';
