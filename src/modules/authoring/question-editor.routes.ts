import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../../platform/context.js';
import { ValidationFailed } from '../../platform/errors.js';
import { parseForm } from '../../platform/http/forms.js';
import { flash } from '../../platform/http/locals.js';
import { MAX_OPTIONS, MoveForm, NewQuestionForm } from './authoring.schemas.js';
import * as questions from './questions.service.js';
import { done, editorPath, jsonErrors, wantsJson } from './respond.js';

/** The questions of a quiz block: adding, editing, moving and deleting them. */
export function questionEditorRoutes(ctx: AppContext): Router {
  const r = Router();
  const { db } = ctx;

  const questionPath = (id: string, bid: string, qid: string) =>
    `${editorPath(id)}/blocks/${bid}/questions/${qid}`;
  r.post('/authoring/courses/:id/blocks/:bid/questions', async (req, res) => {
    const { type } = parseForm(NewQuestionForm, req.body);
    const { question } = await questions.addQuestion(db, req.user!, req.params.id, req.params.bid, type);
    res.redirect(303, questionPath(req.params.id, req.params.bid, question.id));
  });
  async function renderQuestion(req: Request, res: Response, status = 200, locals: object = {}) {
    const view = await questions.questionForEditor(
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
        await questions.updateQuestion(
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
    const moved = await questions.moveQuestion(
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
    done(
      req,
      res,
      `${editorPath(req.params.id)}/lessons/${moved.block.lesson_id}#question-${req.params.qid}`,
      {
        message,
        place: moved.place,
        of: moved.of,
      },
    );
  });
  r.post('/authoring/courses/:id/blocks/:bid/questions/:qid/delete', async (req, res) => {
    const { block } = await questions.deleteQuestion(
      db,
      req.user!,
      req.params.id,
      req.params.bid,
      req.params.qid,
    );
    flash(req, 'success', 'authoring:question.deleted');
    res.redirect(303, `${editorPath(req.params.id)}/lessons/${block.lesson_id}#block-${block.id}`);
  });

  return r;
}
