import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../../platform/context.js';
import { AppError, NotFound } from '../../platform/errors.js';
import { requireUser } from '../../platform/http/guards.js';
import { flash } from '../../platform/http/locals.js';
import { courseForLearner, findCourseById } from '../courses/index.js';
import { isUuid } from '../accounts/index.js';
import * as repo from './authoring.repo.js';
import type { FileStore } from './files.storage.js';
import { renderAuthoredMarkdown } from './markdown.js';
import * as policy from './authoring.policy.js';
import { scoreQuestion, type QuizOutcome } from './quiz.js';
import { allowFrames } from './respond.js';
import * as take from './take.service.js';
import { videoEmbed } from './video.js';
import { licenceName, licenceUrl } from './licences.js';

const INLINE = /^(image|video|audio)\//;

/** Learners take published versions here; files of authored courses are served to their readers. */
export function takeRoutes(ctx: AppContext, store: FileStore): Router {
  const r = Router();
  const { db, config } = ctx;

  r.use('/learn', requireUser);

  r.get('/learn/:slug', async (req, res) => {
    const t = await take.launch(db, config, req.user!, req.params.slug);
    const st = await take.standing(db, t);
    const next = take.lessonsOf(t.snapshot).find((l) => !st.done.has(l.id)) ?? take.lessonsOf(t.snapshot)[0];
    res.render('authoring/learn-course', {
      title: t.snapshot.title,
      t_: t,
      s: t.snapshot,
      course: t.course,
      standing: st,
      next,
      licence: { name: licenceName(t.snapshot.licence, req.t), url: licenceUrl(t.snapshot.licence) },
    });
  });

  async function renderLesson(
    req: Request,
    res: Response,
    lessonId: string,
    fresh?: { blockId: string; outcome: QuizOutcome },
  ) {
    const t = await take.takingFor(db, req.user!, req.params.slug as string);
    const { lesson, index, all, previous, next } = take.findLesson(t.snapshot, lessonId);
    const st = await take.standing(db, t);
    // Each quiz shows its newest result: just submitted (preview) or stored for this attempt.
    const results: Record<string, { outcome: QuizOutcome; chosen: Record<string, string[]> }> = {};
    for (const b of lesson.blocks) {
      if (b.kind !== 'quiz') continue;
      if (fresh?.blockId === b.id) {
        results[b.id] = {
          outcome: fresh.outcome,
          chosen: Object.fromEntries(fresh.outcome.outcomes.map((o) => [o.questionId, o.response])),
        };
        continue;
      }
      const stored = st.results.get(b.id);
      if (!stored) continue;
      const outcomes = b.questions.map((q) => scoreQuestion(q, stored.responses[q.id] ?? []));
      const correctCount = outcomes.filter((o) => o.correct).length;
      results[b.id] = {
        outcome: {
          outcomes,
          correctCount,
          total: outcomes.length,
          scaled: Number(stored.score_scaled),
          passed: stored.passed,
        },
        chosen: stored.responses,
      };
    }
    const embeds = Object.fromEntries(
      lesson.blocks.flatMap((b) =>
        b.kind === 'video' && b.source === 'link'
          ? [[b.id, videoEmbed(b.url, config.authoringPeertubeHosts)]]
          : [],
      ),
    );
    allowFrames(
      res,
      Object.values(embeds).flatMap((e) => (e ? [e.origin] : [])),
    );
    res.render('authoring/learn-lesson', {
      title: `${lesson.title} · ${t.snapshot.title}`,
      course: t.course,
      s: t.snapshot,
      lesson,
      place: index + 1,
      of: all.length,
      previous,
      next,
      tracked: !!t.attempt,
      done: st.done.has(lesson.id),
      results,
      embeds,
      html: Object.fromEntries(
        lesson.blocks.flatMap((b) => (b.kind === 'text' ? [[b.id, renderAuthoredMarkdown(b.markdown)]] : [])),
      ),
    });
  }

  r.get('/learn/:slug/lessons/:lid', (req, res) => renderLesson(req, res, req.params.lid));

  r.post('/learn/:slug/quizzes/:bid', async (req, res) => {
    const out = await take.submitQuiz(
      db,
      config,
      req.user!,
      req.params.slug,
      req.params.bid,
      req.body as Record<string, unknown>,
    );
    if (!out.tracked)
      return renderLesson(req, res, out.lesson.id, { blockId: out.quiz.id, outcome: out.outcome });
    flash(
      req,
      out.outcome.passed ? 'success' : 'error',
      out.outcome.passed ? 'authoring:take.quizPassed' : 'authoring:take.quizFailed',
      {
        score: Math.round(out.outcome.scaled * 100),
      },
    );
    res.redirect(303, `/learn/${req.params.slug}/lessons/${out.lesson.id}#quiz-${out.quiz.id}`);
  });

  r.post('/learn/:slug/lessons/:lid/complete', async (req, res) => {
    try {
      const { next, courseCompleted } = await take.completeLesson(
        db,
        config,
        req.user!,
        req.params.slug,
        req.params.lid,
      );
      if (courseCompleted) flash(req, 'success', 'authoring:take.courseCompleted');
      res.redirect(303, next ? `/learn/${req.params.slug}/lessons/${next.id}` : `/learn/${req.params.slug}`);
    } catch (err) {
      if (!(err instanceof AppError) || err.status !== 409) throw err;
      flash(req, 'error', err.messageKey);
      res.redirect(303, `/learn/${req.params.slug}/lessons/${req.params.lid}`);
    }
  });

  // Files of an authored course: its author, and whoever may open the published course's activities.
  r.get('/authoring/files/:fileId', requireUser, async (req, res) => {
    const fileId = String(req.params.fileId);
    const file = isUuid(fileId) ? await repo.findFileById(db, fileId) : undefined;
    if (!file) throw new NotFound('file');
    const authored = await repo.findAuthoredCourse(db, file.authored_course_id);
    if (!authored) throw new NotFound('file');
    let allowed = policy.mayEditAuthored(req.user, authored);
    if (!allowed && authored.course_id) {
      const course = await findCourseById(db, authored.course_id);
      allowed = !!course && !!(await courseForLearner(db, req.user, course.slug))?.mayOpen;
    }
    if (!allowed) throw new NotFound('file');
    // Text was checked to be UTF-8 on upload; HTML or SVG sent as a file is stored as text and stays text.
    const type = file.media_type === 'text/plain' ? 'text/plain; charset=utf-8' : file.media_type;
    res.setHeader('Content-Type', type);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    res.setHeader('Cache-Control', 'private, max-age=3600');
    res.setHeader('Content-Length', String(file.size));
    res.setHeader(
      'Content-Disposition',
      `${INLINE.test(file.media_type) && req.query.download === undefined ? 'inline' : 'attachment'}; filename="${file.name}"`,
    );
    store
      .open(file.storage_key)
      .on('error', () => res.destroy())
      .pipe(res);
  });

  return r;
}
