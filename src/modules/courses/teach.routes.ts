import { Router, type Request } from 'express';
import type { AppContext } from '../../platform/context.js';
import { parseForm, withFormErrors } from '../../platform/http/forms.js';
import { requireRole } from '../../platform/http/guards.js';
import { flash } from '../../platform/http/locals.js';
import { listGroups } from '../groups/index.js';
import * as activities from './activities.service.js';
import { listActivities } from './activities.repo.js';
import * as policy from './courses.policy.js';
import type { CourseListRow } from './courses.repo.js';
import * as schemas from './courses.schemas.js';
import * as courses from './courses.service.js';
import * as enrolments from './enrolments.service.js';

/** /teach: trainers manage their courses; coordinators and admins every course and its enrolments. */
export function teachRoutes(ctx: AppContext): Router {
  const r = Router();
  const { db } = ctx;
  r.use('/teach', requireRole('trainer', 'coordinator', 'admin'));

  const formLocals = (req: Request, values: object, course?: CourseListRow) => ({
    title: course ? req.t('courses:edit.title', { title: course.title }) : req.t('courses:new.title'),
    action: course ? `/teach/courses/${course.id}/edit` : '/teach/courses',
    course: course ?? null,
    values,
    courseLanguages: schemas.COURSE_LANGUAGES,
    visibilities: schemas.VISIBILITIES,
    mayChangeOwner: policy.mayChangeOwner(req.user),
  });

  r.get('/teach', async (req, res) => {
    const { page } = schemas.PageQuery.parse(req.query);
    res.render('teach/index', {
      title: req.t('courses:teach.title'),
      ...(await courses.teachList(db, req.user!, page)),
      page,
      seesAll: policy.maySeeAllCourses(req.user),
    });
  });

  r.get('/teach/courses/new', (req, res) => {
    res.render(
      'teach/course-form',
      formLocals(req, { language: req.lang, visibility: 'members', self_enrol: 'on' }),
    );
  });

  r.post('/teach/courses', async (req, res) => {
    await withFormErrors(res, 'teach/course-form', formLocals(req, req.body), async () => {
      const course = await courses.createCourse(db, req.user!, parseForm(schemas.CourseForm, req.body));
      flash(req, 'success', 'courses:new.created', { title: course.title });
      res.redirect(303, `/teach/courses/${course.id}`);
    });
  });

  r.get('/teach/courses/:id', async (req, res) => {
    const course = await courses.courseForEditor(db, req.user!, req.params.id);
    res.render('teach/course', {
      title: course.title,
      course,
      activities: await listActivities(db, course.id),
      mayEnrolOthers: policy.mayEnrolOthers(req.user),
    });
  });

  r.get('/teach/courses/:id/edit', async (req, res) => {
    const course = await courses.courseForEditor(db, req.user!, req.params.id);
    const values = { ...course, self_enrol: course.self_enrol ? 'on' : '' };
    res.render('teach/course-form', formLocals(req, values, course));
  });

  r.post('/teach/courses/:id/edit', async (req, res) => {
    const course = await courses.courseForEditor(db, req.user!, req.params.id);
    await withFormErrors(res, 'teach/course-form', formLocals(req, req.body, course), async () => {
      await courses.updateCourse(db, req.user!, course.id, parseForm(schemas.CourseForm, req.body));
      flash(req, 'success', 'courses:edit.saved');
      res.redirect(303, `/teach/courses/${course.id}`);
    });
  });

  r.post('/teach/courses/:id/status', async (req, res) => {
    const { status } = parseForm(schemas.StatusForm, req.body);
    const course = await courses.setCourseStatus(db, req.user!, req.params.id, status);
    flash(req, 'success', `courses:status.changed.${status}`, { title: course.title });
    res.redirect(303, `/teach/courses/${course.id}`);
  });

  // Page activities
  const activityLocals = (req: Request, course: CourseListRow, values: object, activityId?: string) => ({
    title: activityId ? req.t('courses:activity.editTitle') : req.t('courses:activity.newTitle'),
    action: activityId
      ? `/teach/courses/${course.id}/activities/${activityId}/edit`
      : `/teach/courses/${course.id}/activities`,
    course,
    values,
  });

  r.get('/teach/courses/:id/activities/new', async (req, res) => {
    const course = await courses.courseForEditor(db, req.user!, req.params.id);
    res.render('teach/activity-form', activityLocals(req, course, {}));
  });

  r.post('/teach/courses/:id/activities', async (req, res) => {
    const course = await courses.courseForEditor(db, req.user!, req.params.id);
    await withFormErrors(res, 'teach/activity-form', activityLocals(req, course, req.body), async () => {
      const form = parseForm(schemas.PageActivityForm, req.body);
      const activity = await activities.addPage(db, req.user!, course.id, form);
      flash(req, 'success', 'courses:activity.added', { title: activity.title });
      res.redirect(303, `/teach/courses/${course.id}#activity-${activity.id}`);
    });
  });

  r.get('/teach/courses/:id/activities/:activityId/edit', async (req, res) => {
    const { course, activity, body } = await activities.pageForEditor(
      db,
      req.user!,
      req.params.id,
      req.params.activityId,
    );
    res.render(
      'teach/activity-form',
      activityLocals(req, course, { title: activity.title, body }, activity.id),
    );
  });

  r.post('/teach/courses/:id/activities/:activityId/edit', async (req, res) => {
    const { course, activity } = await activities.pageForEditor(
      db,
      req.user!,
      req.params.id,
      req.params.activityId,
    );
    await withFormErrors(
      res,
      'teach/activity-form',
      activityLocals(req, course, req.body, activity.id),
      async () => {
        const form = parseForm(schemas.PageActivityForm, req.body);
        await activities.updatePage(db, req.user!, course.id, activity.id, form);
        flash(req, 'success', 'courses:activity.saved', { title: form.title });
        res.redirect(303, `/teach/courses/${course.id}#activity-${activity.id}`);
      },
    );
  });

  r.get('/teach/courses/:id/activities/:activityId/delete', async (req, res) => {
    const { course, activity } = await activities.activityForEditor(
      db,
      req.user!,
      req.params.id,
      req.params.activityId,
    );
    res.render('courses/confirm', {
      title: req.t('courses:activity.deleteTitle', { title: activity.title }),
      message: req.t('courses:activity.deleteMessage'),
      action: `/teach/courses/${course.id}/activities/${activity.id}/delete`,
      submitLabel: req.t('courses:activity.deleteSubmit'),
      backHref: `/teach/courses/${course.id}#activity-${activity.id}`,
    });
  });

  r.post('/teach/courses/:id/activities/:activityId/delete', async (req, res) => {
    const activity = await activities.deleteActivity(db, req.user!, req.params.id, req.params.activityId);
    flash(req, 'success', 'courses:activity.deleted', { title: activity.title });
    res.redirect(303, `/teach/courses/${activity.course_id}#activities`);
  });

  r.post('/teach/courses/:id/activities/:activityId/move', async (req, res) => {
    const { direction } = parseForm(schemas.MoveForm, req.body);
    const moved = await activities.moveActivity(
      db,
      req.user!,
      req.params.id,
      req.params.activityId,
      direction,
    );
    flash(req, 'success', 'courses:activity.moved', {
      title: moved.activity.title,
      place: moved.place,
      of: moved.of,
    });
    res.redirect(303, `/teach/courses/${moved.activity.course_id}#activity-${moved.activity.id}`);
  });

  // Enrolments of a course
  const enrolmentsLocals = async (req: Request, courseId: string, extra: object = {}) => {
    const { page } = schemas.PageQuery.parse(req.query);
    const view = await enrolments.courseEnrolments(db, req.user!, courseId, page);
    const mayEnrol = policy.mayEnrolOthers(req.user) && view.course.status !== 'archived';
    return {
      title: req.t('courses:enrolments.title', { title: view.course.title }),
      ...view,
      page,
      mayEnrol,
      mayWithdraw: policy.mayEnrolOthers(req.user),
      groups: mayEnrol ? await listGroups(db) : [],
      values: {},
      ...extra,
    };
  };

  r.get('/teach/courses/:id/enrolments', async (req, res) => {
    res.render('teach/enrolments', await enrolmentsLocals(req, req.params.id));
  });

  r.post('/teach/courses/:id/enrolments', async (req, res) => {
    const locals = await enrolmentsLocals(req, req.params.id, { values: req.body });
    await withFormErrors(res, 'teach/enrolments', locals, async () => {
      const { email } = parseForm(schemas.EnrolLearnerForm, req.body);
      const done = await enrolments.enrolByEmail(db, req.user!, req.params.id, email);
      flash(req, 'success', done.created ? 'courses:enrolments.enrolled' : 'courses:enrolments.already', {
        name: done.name,
      });
      res.redirect(303, `/teach/courses/${done.course.id}/enrolments`);
    });
  });

  r.post('/teach/courses/:id/enrolments/group', async (req, res) => {
    const locals = await enrolmentsLocals(req, req.params.id, { values: req.body });
    await withFormErrors(res, 'teach/enrolments', locals, async () => {
      const { group_id } = parseForm(schemas.EnrolGroupForm, req.body);
      const done = await enrolments.enrolGroup(db, req.user!, req.params.id, group_id);
      flash(req, 'success', 'courses:enrolments.groupEnrolled', {
        name: done.group.name,
        count: done.enrolled,
        skipped: done.skipped,
      });
      res.redirect(303, `/teach/courses/${done.course.id}/enrolments`);
    });
  });

  r.post('/teach/courses/:id/enrolments/:enrolmentId/withdraw', async (req, res) => {
    const enrolment = await enrolments.withdraw(db, req.user!, req.params.id, req.params.enrolmentId);
    flash(req, 'success', 'courses:enrolments.withdrawn', { name: enrolment.learner_name });
    res.redirect(303, `/teach/courses/${enrolment.course_id}/enrolments`);
  });

  return r;
}
