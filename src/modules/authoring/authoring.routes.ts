import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../../platform/context.js';
import { Conflict, NotFound, ValidationFailed } from '../../platform/errors.js';
import { parseForm } from '../../platform/http/forms.js';
import { requireUser } from '../../platform/http/guards.js';
import { flash } from '../../platform/http/locals.js';
import { LANGUAGES } from '../../platform/i18n.js';
import { findCourseById } from '../courses/index.js';
import * as repo from './authoring.repo.js';
import {
  BlockData,
  CONTENT_BLOCKS,
  CourseDetailsForm,
  ExportFormat,
  LICENCES,
  LessonForm,
  MAX_OPTIONS,
  MoveForm,
  NewBlockForm,
  NewCourseForm,
  NewLessonForm,
  NewQuestionForm,
  PreviewForm,
  QUESTION_TYPES,
  ReorderForm,
  TitleForm,
  UPLOAD_BLOCKS,
  VISIBILITIES,
} from './authoring.schemas.js';
import * as blocks from './blocks.service.js';
import * as editor from './editor.service.js';
import { exportFileName, writeZip } from './export/package.js';
import { exportPublished } from './export.service.js';
import type { FileStore } from './files.storage.js';
import { renderAuthoredMarkdown } from './markdown.js';
import { buildSnapshot, publish, publishProblems } from './publish.service.js';
import { allowFrames, done, jsonErrors, wantsJson } from './respond.js';
import { videoEmbed } from './video.js';

const FORMATS = ExportFormat.options;

/** The editor: any member's own courses, their sections, lessons, blocks and quiz questions. */
export function authoringRoutes(ctx: AppContext, store: FileStore): Router {
  const r = Router();
  const { db, config } = ctx;
  const deps = { store, peertubeHosts: config.authoringPeertubeHosts };
  const base = (id: string) => `/authoring/courses/${id}`;

  r.use('/authoring', requireUser);

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
      res.redirect(303, base(course.id));
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
      done(req, res, base(course.id), { savedAt: new Date().toISOString() });
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
      await blocks.uploadCover(db, deps, req.user!, course.id, req.upload);
      flash(req, 'success', 'authoring:course.coverSaved');
      res.redirect(303, base(course.id));
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
    done(req, res, `${base(course.id)}#section-${id}`);
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
    done(req, res, `${base(course.id)}#section-${req.params.sid}`, { savedAt: new Date().toISOString() });
  });
  r.post('/authoring/courses/:id/sections/:sid/delete', async (req, res) => {
    const s = await editor.deleteSection(db, req.user!, req.params.id, req.params.sid);
    flash(req, 'success', 'authoring:outline.sectionDeleted', { title: s.title });
    res.redirect(303, base(req.params.id));
  });
  r.post('/authoring/courses/:id/lessons', async (req, res) => {
    const course = await editor.courseForAuthor(db, req.user!, req.params.id);
    try {
      const form = parseForm(NewLessonForm, req.body);
      const lesson = await editor.addLesson(db, req.user!, course.id, form.section_id, form.title);
      res.redirect(303, `${base(course.id)}/lessons/${lesson.id}`);
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
          ? `${base(req.params.id as string)}/lessons/${(moved.item as repo.BlockRow).lesson_id}#block-${itemId}`
          : `${base(req.params.id as string)}#${scope.slice(0, -1)}-${itemId}`;
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
    done(req, res, base(req.params.id), { message: req.t('authoring:outline.reordered') });
  });

  // ---- the lesson editor ----
  async function renderLesson(
    req: Request,
    res: Response,
    courseId: string,
    lessonId: string,
    status = 200,
    locals: object = {},
  ) {
    const course = await editor.courseForAuthor(db, req.user!, courseId);
    const lesson = await editor.lessonOf(db, course.id, lessonId);
    const rows = await repo.listBlocks(db, lesson.id);
    const files = await repo.listFiles(
      db,
      course.id,
      rows.map((b) => (b.data as { fileId?: string }).fileId ?? '').filter(Boolean),
    );
    const view = rows.map((b) => {
      const data = BlockData[b.kind].safeParse(b.data);
      const d = (data.success ? data.data : {}) as Record<string, unknown>;
      return {
        ...b,
        d,
        file: files.find((f) => f.id === d.fileId),
        html: b.kind === 'text' ? renderAuthoredMarkdown(String(d.markdown ?? '')) : '',
        embed:
          b.kind === 'video' && d.source === 'link' && d.url
            ? videoEmbed(String(d.url), deps.peertubeHosts)
            : null,
      };
    });
    allowFrames(
      res,
      view.flatMap((b) => (b.embed ? [b.embed.origin] : [])),
    );
    res.status(status).render('authoring/lesson', {
      title: req.t('authoring:lesson.title', { title: lesson.title }),
      course,
      lesson,
      outline: await editor.draftOutline(db, course.id),
      blocks: view,
      contentKinds: CONTENT_BLOCKS,
      uploadKinds: UPLOAD_BLOCKS,
      questionTypes: QUESTION_TYPES,
      blockErrors: {},
      ...locals,
    });
  }

  r.get('/authoring/courses/:id/lessons/:lid', (req, res) =>
    renderLesson(req, res, req.params.id, req.params.lid),
  );

  r.post('/authoring/courses/:id/lessons/:lid', async (req, res) => {
    try {
      const ok = await jsonErrors(req, res, async () => {
        await editor.updateLesson(
          db,
          req.user!,
          req.params.id,
          req.params.lid,
          parseForm(LessonForm, req.body),
        );
      });
      if (!ok) return;
      if (!wantsJson(req)) flash(req, 'success', 'authoring:saved');
      done(req, res, `${base(req.params.id)}/lessons/${req.params.lid}`, {
        savedAt: new Date().toISOString(),
      });
    } catch (err) {
      if (!(err instanceof ValidationFailed)) throw err;
      await renderLesson(req, res, req.params.id, req.params.lid, 422, { errors: err.fields });
    }
  });
  r.post('/authoring/courses/:id/lessons/:lid/delete', async (req, res) => {
    const l = await editor.deleteLesson(db, req.user!, req.params.id, req.params.lid);
    flash(req, 'success', 'authoring:outline.lessonDeleted', { title: l.title });
    res.redirect(303, base(req.params.id));
  });

  r.post('/authoring/courses/:id/lessons/:lid/blocks', async (req, res) => {
    const { kind } = parseForm(NewBlockForm, req.body);
    const block = await blocks.addBlock(db, req.user!, req.params.id, req.params.lid, kind);
    res.redirect(303, `${base(req.params.id)}/lessons/${req.params.lid}#block-${block.id}`);
  });
  r.post('/authoring/courses/:id/lessons/:lid/uploads', async (req, res) => {
    try {
      const block = await blocks.addUploadBlock(
        db,
        deps,
        req.user!,
        req.params.id,
        req.params.lid,
        req.body,
        req.upload,
      );
      res.redirect(303, `${base(req.params.id)}/lessons/${req.params.lid}#block-${block.id}`);
    } catch (err) {
      if (!(err instanceof ValidationFailed)) throw err;
      await renderLesson(req, res, req.params.id, req.params.lid, 422, {
        uploadErrors: err.fields,
        uploadValues: req.body as object,
      });
    }
  });

  r.post('/authoring/courses/:id/blocks/:bid', async (req, res) => {
    try {
      let lessonId = '';
      const ok = await jsonErrors(req, res, async () => {
        lessonId = (await blocks.updateBlock(db, deps, req.user!, req.params.id, req.params.bid, req.body))
          .block.lesson_id;
      });
      if (!ok) return;
      const preview =
        typeof (req.body as { markdown?: unknown }).markdown === 'string'
          ? renderAuthoredMarkdown((req.body as { markdown: string }).markdown)
          : undefined;
      if (!wantsJson(req)) flash(req, 'success', 'authoring:saved');
      done(req, res, `${base(req.params.id)}/lessons/${lessonId}#block-${req.params.bid}`, {
        savedAt: new Date().toISOString(),
        preview,
      });
    } catch (err) {
      if (!(err instanceof ValidationFailed)) throw err;
      const block = await editor.blockOf(
        db,
        (await editor.courseForAuthor(db, req.user!, req.params.id)).id,
        req.params.bid,
      );
      await renderLesson(req, res, req.params.id, block.lesson_id, 422, {
        blockErrors: { [block.id]: err.fields },
        blockValues: { [block.id]: req.body as object },
      });
    }
  });
  r.post('/authoring/courses/:id/blocks/:bid/delete', async (req, res) => {
    const b = await editor.deleteBlock(db, req.user!, req.params.id, req.params.bid);
    flash(req, 'success', 'authoring:lesson.blockDeleted');
    res.redirect(303, `${base(req.params.id)}/lessons/${b.lesson_id}`);
  });

  // ---- quiz questions ----
  const questionPath = (id: string, bid: string, qid: string) => `${base(id)}/blocks/${bid}/questions/${qid}`;
  r.post('/authoring/courses/:id/blocks/:bid/questions', async (req, res) => {
    const { type } = parseForm(NewQuestionForm, req.body);
    const { question } = await blocks.addQuestion(db, req.user!, req.params.id, req.params.bid, type);
    res.redirect(303, questionPath(req.params.id, req.params.bid, question.id));
  });
  async function renderQuestion(req: Request, res: Response, status = 200, locals: object = {}) {
    const view = await blocks.questionForEditor(
      db,
      req.user!,
      req.params.id as string,
      req.params.bid as string,
      req.params.qid as string,
    );
    res.status(status).render('authoring/question', {
      title: req.t('authoring:question.title'),
      ...view,
      maxOptions: MAX_OPTIONS,
      values: null,
      ...locals,
    });
  }
  r.get('/authoring/courses/:id/blocks/:bid/questions/:qid', (req, res) => renderQuestion(req, res));
  r.post('/authoring/courses/:id/blocks/:bid/questions/:qid', async (req, res) => {
    try {
      const ok = await jsonErrors(req, res, async () => {
        await blocks.updateQuestion(
          db,
          req.user!,
          req.params.id,
          req.params.bid,
          req.params.qid,
          req.body as Record<string, unknown>,
        );
      });
      if (!ok) return;
      if (!wantsJson(req)) flash(req, 'success', 'authoring:saved');
      done(req, res, questionPath(req.params.id, req.params.bid, req.params.qid), {
        savedAt: new Date().toISOString(),
      });
    } catch (err) {
      if (!(err instanceof ValidationFailed)) throw err;
      await renderQuestion(req, res, 422, { errors: err.fields, values: req.body as object });
    }
  });
  r.post('/authoring/courses/:id/blocks/:bid/questions/:qid/move', async (req, res) => {
    const { direction } = parseForm(MoveForm, req.body);
    const moved = await blocks.moveQuestion(
      db,
      req.user!,
      req.params.id,
      req.params.bid,
      req.params.qid,
      direction,
    );
    const message = req.t('authoring:outline.moved', { place: moved.place, of: moved.of });
    if (!wantsJson(req))
      flash(req, 'success', 'authoring:outline.moved', { place: moved.place, of: moved.of });
    done(req, res, `${base(req.params.id)}/lessons/${moved.block.lesson_id}#question-${req.params.qid}`, {
      message,
      place: moved.place,
      of: moved.of,
    });
  });
  r.post('/authoring/courses/:id/blocks/:bid/questions/:qid/delete', async (req, res) => {
    const { block } = await blocks.deleteQuestion(
      db,
      req.user!,
      req.params.id,
      req.params.bid,
      req.params.qid,
    );
    flash(req, 'success', 'authoring:question.deleted');
    res.redirect(303, `${base(req.params.id)}/lessons/${block.lesson_id}#block-${block.id}`);
  });

  // ---- publish and export ----
  r.post('/authoring/courses/:id/publish', async (req, res) => {
    try {
      const { version } = await publish(db, req.user!, req.params.id);
      flash(req, 'success', 'authoring:publish.done', { version });
    } catch (err) {
      if (!(err instanceof Conflict)) throw err;
      flash(req, 'error', 'authoring:publish.refused');
    }
    res.redirect(303, base(req.params.id));
  });

  r.get('/authoring/courses/:id/export/:format', async (req, res) => {
    const format = ExportFormat.safeParse(req.params.format);
    if (!format.success) throw new NotFound('page');
    const course = await editor.courseForAuthor(db, req.user!, req.params.id);
    const { snapshot, files } = await exportPublished(ctx, store, course, format.data);
    res.setHeader('Content-Type', 'application/zip');
    res.setHeader('Content-Disposition', `attachment; filename="${exportFileName(snapshot, format.data)}"`);
    await writeZip(files, res);
  });

  r.post('/authoring/preview', (req, res) => {
    res.json({ html: renderAuthoredMarkdown(parseForm(PreviewForm, req.body).markdown) });
  });

  return r;
}
