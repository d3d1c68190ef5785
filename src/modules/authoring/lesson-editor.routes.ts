import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../../platform/context.js';
import { ValidationFailed } from '../../platform/errors.js';
import { parseForm } from '../../platform/http/forms.js';
import { flash } from '../../platform/http/locals.js';
import * as repo from './authoring.repo.js';
import {
  BlockData,
  CONTENT_BLOCKS,
  LessonForm,
  NewBlockForm,
  PreviewForm,
  QUESTION_TYPES,
  UPLOAD_BLOCKS,
} from './authoring.schemas.js';
import * as blocks from './blocks.service.js';
import * as editor from './editor.service.js';
import { renderAuthoredMarkdown } from './markdown.js';
import { allowFrames, done, editorPath, jsonErrors, wantsJson } from './respond.js';
import { videoEmbed } from './video.js';

/** The lesson editor: a lesson's title and its blocks (uploads included), and the Markdown preview. */
export function lessonEditorRoutes(ctx: AppContext, deps: blocks.BlockDeps): Router {
  const r = Router();
  const { db } = ctx;

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
      done(req, res, `${editorPath(req.params.id)}/lessons/${req.params.lid}`, {
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
    res.redirect(303, editorPath(req.params.id));
  });

  r.post('/authoring/courses/:id/lessons/:lid/blocks', async (req, res) => {
    const { kind } = parseForm(NewBlockForm, req.body);
    const block = await blocks.addBlock(db, req.user!, req.params.id, req.params.lid, kind);
    res.redirect(303, `${editorPath(req.params.id)}/lessons/${req.params.lid}#block-${block.id}`);
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
      res.redirect(303, `${editorPath(req.params.id)}/lessons/${req.params.lid}#block-${block.id}`);
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
      done(req, res, `${editorPath(req.params.id)}/lessons/${lessonId}#block-${req.params.bid}`, {
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
    res.redirect(303, `${editorPath(req.params.id)}/lessons/${b.lesson_id}`);
  });

  r.post('/authoring/preview', (req, res) => {
    res.json({ html: renderAuthoredMarkdown(parseForm(PreviewForm, req.body).markdown) });
  });

  return r;
}
