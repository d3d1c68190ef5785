import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../../platform/context.js';
import { ValidationFailed } from '../../platform/errors.js';
import { parseForm } from '../../platform/http/forms.js';
import { flash } from '../../platform/http/locals.js';
import { LANGUAGES } from '../../platform/i18n.js';
import { findCourseById } from '../courses/index.js';
import * as repo from './authoring.repo.js';
import {
  CourseDetailsForm,
  ExportFormat,
  LICENCES,
  MoveForm,
  NewCourseForm,
  NewLessonForm,
  ReorderForm,
  TitleForm,
  VISIBILITIES,
} from './authoring.schemas.js';
import { uploadCover, type BlockDeps } from './blocks.service.js';
import * as editor from './editor.service.js';
import { buildSnapshot, publishProblems } from './publish.service.js';
import { done, editorPath, jsonErrors, wantsJson } from './respond.js';

const FORMATS = ExportFormat.options;

/** A member's own courses: creating them, their details and cover, and the outline of sections and lessons. */
export function courseEditorRoutes(ctx: AppContext, deps: BlockDeps): Router {
  const r = Router();
  const { db } = ctx;

  async function renderIndex(req: Request, res: Response, status = 200, locals: object = {}) {
    res.status(status).render('authoring/index', {
      title: req.t('authoring:index.title'),
      courses: await repo.listAuthoredCoursesOf(db, req.user!.id),
      languages: LANGUAGES,
      values: { language: req.lang },
      ...locals,
    });
  }
  r.get('/authoring', (req, res) => renderIndex(req, res));
  r.post('/authoring/courses', async (req, res) => {
    try {
      const form = parseForm(NewCourseForm, req.body);
      const t = ctx.i18n.getFixedT(form.language);
      const course = await editor.createAuthoredCourse(db, req.user!, form, t('authoring:defaults.section'));
      flash(req, 'success', 'authoring:index.created', { title: course.title });
      res.redirect(303, editorPath(course.id));
    } catch (err) {
      if (!(err instanceof ValidationFailed)) throw err;
      await renderIndex(req, res, 422, { errors: err.fields, values: req.body as object });
    }
  });

  async function renderCourse(
    req: Request,
    res: Response,
    course: repo.AuthoredCourseRow,
    status = 200,
    locals: object = {},
  ) {
    const snapshot = await buildSnapshot(db, course, (course.published_version ?? 0) + 1);
    res.status(status).render('authoring/course', {
      title: req.t('authoring:course.title', { title: course.title }),
      course,
      outline: await editor.draftOutline(db, course.id),
      versions: await repo.listVersions(db, course.id),
      problems: publishProblems(snapshot),
      platformCourse: course.course_id ? await findCourseById(db, course.course_id) : undefined,
      cover: course.cover_file_id ? await repo.findFile(db, course.id, course.cover_file_id) : undefined,
      languages: LANGUAGES,
      licences: LICENCES,
      visibilities: VISIBILITIES,
      formats: FORMATS,
      values: course,
      ...locals,
    });
  }

  r.get('/authoring/courses/:id', async (req, res) => {
    await renderCourse(req, res, await editor.courseForAuthor(db, req.user!, req.params.id));
  });

  r.post('/authoring/courses/:id', async (req, res) => {
    const course = await editor.courseForAuthor(db, req.user!, req.params.id);
    try {
      const ok = await jsonErrors(req, res, async () => {
        await editor.updateDetails(db, req.user!, course.id, parseForm(CourseDetailsForm, req.body));
      });
      if (!ok) return;
      if (!wantsJson(req)) flash(req, 'success', 'authoring:saved');
      done(req, res, editorPath(course.id), { savedAt: new Date().toISOString() });
    } catch (err) {
      if (!(err instanceof ValidationFailed)) throw err;
      await renderCourse(req, res, course, 422, {
        errors: err.fields,
        values: { ...course, ...(req.body as object) },
      });
    }
  });

  r.post('/authoring/courses/:id/cover', async (req, res) => {
    const course = await editor.courseForAuthor(db, req.user!, req.params.id);
    try {
      await uploadCover(db, deps, req.user!, course.id, req.upload);
      flash(req, 'success', 'authoring:course.coverSaved');
      res.redirect(303, editorPath(course.id));
    } catch (err) {
      if (!(err instanceof ValidationFailed)) throw err;
      await renderCourse(req, res, course, 422, { errors: err.fields });
    }
  });

  // ---- sections and lessons ----
  const titleOr422 = async (
    req: Request,
    res: Response,
    course: repo.AuthoredCourseRow,
    action: (title: string) => Promise<void>,
  ) => {
    try {
      await action(parseForm(TitleForm, req.body).title);
      return true;
    } catch (err) {
      if (!(err instanceof ValidationFailed)) throw err;
      if (wantsJson(req))
        res
          .status(422)
          .json({ ok: false, errors: { title: req.t(err.fields.title ?? 'errors.validation') } });
      else await renderCourse(req, res, course, 422, { errors: err.fields });
      return false;
    }
  };

  r.post('/authoring/courses/:id/sections', async (req, res) => {
    const course = await editor.courseForAuthor(db, req.user!, req.params.id);
    let id = '';
    if (
      !(await titleOr422(
        req,
        res,
        course,
        async (title) => void (id = (await editor.addSection(db, req.user!, course.id, title)).id),
      ))
    )
      return;
    done(req, res, `${editorPath(course.id)}#section-${id}`);
  });
  r.post('/authoring/courses/:id/sections/:sid', async (req, res) => {
    const course = await editor.courseForAuthor(db, req.user!, req.params.id);
    if (
      !(await titleOr422(
        req,
        res,
        course,
        async (title) => void (await editor.renameSection(db, req.user!, course.id, req.params.sid, title)),
      ))
    )
      return;
    done(req, res, `${editorPath(course.id)}#section-${req.params.sid}`, {
      savedAt: new Date().toISOString(),
    });
  });
  r.post('/authoring/courses/:id/sections/:sid/delete', async (req, res) => {
    const s = await editor.deleteSection(db, req.user!, req.params.id, req.params.sid);
    flash(req, 'success', 'authoring:outline.sectionDeleted', { title: s.title });
    res.redirect(303, editorPath(req.params.id));
  });
  r.post('/authoring/courses/:id/lessons', async (req, res) => {
    const course = await editor.courseForAuthor(db, req.user!, req.params.id);
    try {
      const form = parseForm(NewLessonForm, req.body);
      const lesson = await editor.addLesson(db, req.user!, course.id, form.section_id, form.title);
      res.redirect(303, `${editorPath(course.id)}/lessons/${lesson.id}`);
    } catch (err) {
      if (!(err instanceof ValidationFailed)) throw err;
      await renderCourse(req, res, course, 422, {
        errors: err.fields,
        lessonErrorsFor: (req.body as { section_id?: string }).section_id,
      });
    }
  });

  for (const scope of ['sections', 'lessons', 'blocks'] as const) {
    const param = scope === 'sections' ? 'sid' : scope === 'lessons' ? 'lid' : 'bid';
    r.post(`/authoring/courses/:id/${scope}/:${param}/move`, async (req, res) => {
      const { direction } = parseForm(MoveForm, req.body);
      const itemId = (req.params as Record<string, string>)[param]!;
      const moved = await editor.moveItem(db, req.user!, req.params.id as string, scope, itemId, direction);
      const back =
        scope === 'blocks'
          ? `${editorPath(req.params.id as string)}/lessons/${(moved.item as repo.BlockRow).lesson_id}#block-${itemId}`
          : `${editorPath(req.params.id as string)}#${scope.slice(0, -1)}-${itemId}`;
      if (!wantsJson(req))
        flash(req, 'success', 'authoring:outline.moved', { place: moved.place, of: moved.of });
      done(req, res, back, {
        place: moved.place,
        of: moved.of,
        message: req.t('authoring:outline.moved', { place: moved.place, of: moved.of }),
      });
    });
  }

  r.post('/authoring/courses/:id/reorder', async (req, res) => {
    const form = parseForm(ReorderForm, req.body);
    await editor.reorder(db, req.user!, req.params.id, form.scope, form.parent, form.ids);
    done(req, res, editorPath(req.params.id), { message: req.t('authoring:outline.reordered') });
  });

  return r;
}
