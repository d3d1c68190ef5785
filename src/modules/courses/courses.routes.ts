import { Router } from 'express';
import type { AppContext } from '../../platform/context.js';
import { requireUser, requireUserBackTo } from '../../platform/http/guards.js';
import { flash } from '../../platform/http/locals.js';
import { activityForViewer } from './activities.service.js';
import { COURSE_LANGUAGES, CatalogueQuery } from './courses.schemas.js';
import { catalogue, courseForViewer } from './courses.service.js';
import { enrolmentForViewer, myLearning, selfEnrol } from './enrolments.service.js';
import { launcherFor, rendererFor } from './provision.js';
import { teachRoutes } from './teach.routes.js';

/** The catalogue, course and activity pages, self-enrolment and My learning; the Teaching pages. */
export function coursesRoutes(ctx: AppContext): Router {
  const r = Router();
  const { db } = ctx;

  r.get('/courses', async (req, res) => {
    const query = CatalogueQuery.parse(req.query);
    res.render('courses/catalogue', {
      title: req.t('courses:catalogue.title'),
      ...(await catalogue(db, req.user, query)),
      query,
      courseLanguages: COURSE_LANGUAGES,
    });
  });

  r.get('/courses/:slug', async (req, res) => {
    const view = await courseForViewer(db, req.user, req.params.slug);
    res.render('courses/show', { title: view.course.title, ...view });
  });

  r.post(
    '/courses/:slug/enrol',
    requireUserBackTo((req) => `/courses/${encodeURIComponent(String(req.params.slug))}`),
  );
  r.post('/courses/:slug/enrol', async (req, res) => {
    const { course, created } = await selfEnrol(db, req.user!, req.params.slug);
    flash(req, 'success', created ? 'courses:enrol.done' : 'courses:enrol.already', { title: course.title });
    res.redirect(303, `/courses/${course.slug}`);
  });

  r.get('/courses/:slug/activities/:id', requireUser);
  r.get('/courses/:slug/activities/:id', async (req, res) => {
    const view = await activityForViewer(db, req.user, req.params.slug, req.params.id);
    const launch = launcherFor(view.activity.kind);
    if (launch) return res.redirect(303, launch(view.course, view.activity));
    const render = rendererFor(view.activity.kind);
    const embed = render ? await render({ ...view, viewer: req.user!, lang: req.lang }) : null;
    res.render('courses/activity', {
      title: `${view.activity.title} · ${view.course.title}`,
      ...view,
      embed,
    });
  });

  r.use('/my-learning', requireUser);
  r.get('/my-learning', async (req, res) => {
    res.render('courses/my-learning', {
      title: req.t('courses:myLearning.title'),
      enrolments: await myLearning(db, req.user!),
    });
  });

  r.get('/my-learning/enrolments/:id', async (req, res) => {
    const enrolment = await enrolmentForViewer(db, req.user!, req.params.id);
    res.render('courses/enrolment', {
      title: req.t('courses:enrolment.title', { title: enrolment.course_title }),
      enrolment,
    });
  });

  r.use(teachRoutes(ctx));
  return r;
}
