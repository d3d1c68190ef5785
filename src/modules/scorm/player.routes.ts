import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../../platform/context.js';
import { requireUser } from '../../platform/http/guards.js';
import { flash } from '../../platform/http/locals.js';
import { openActivity, previewPackage, startNewAttempt, type PlayerView } from './launch.service.js';

const SANDBOX =
  'allow-scripts allow-same-origin allow-forms allow-modals allow-popups allow-popups-to-escape-sandbox allow-downloads';

/** The launch data as JSON inside a non-executed script element: `<` escaped so nothing can close it. */
const jsonForScript = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

function render(req: Request, res: Response, ctx: AppContext, view: PlayerView) {
  const backUrl = view.courseSlug ? `/courses/${view.courseSlug}` : `/packages/${view.attempt.package_id}`;
  const t = req.t;
  res.setHeader('Cache-Control', 'no-store');
  res.render('scorm/play', {
    title: view.courseSlug ? `${view.title} · ${view.courseTitle}` : view.title,
    view,
    backUrl,
    sandbox: SANDBOX,
    newAttemptAction: view.courseSlug
      ? `/courses/${view.courseSlug}/activities/${view.activityId}/scorm/new-attempt`
      : null,
    pageData: jsonForScript({
      contentOrigin: ctx.config.contentOrigin,
      playerUrl: `${ctx.config.contentOrigin}/player/scorm/${view.launch.version}/?lang=${req.lang}`,
      exitUrl: backUrl,
      launch: view.launch,
      messages: {
        refused: t('scorm:player.refused'),
        error: t('scorm:player.error'),
        saving: t('scorm:player.saving'),
        status: {
          completed: t('scorm:status.completed'),
          passed: t('scorm:status.passed'),
          failed: t('scorm:status.failed'),
          incomplete: t('scorm:status.incomplete'),
        },
      },
    }),
  });
}

/** The LMS page of a SCORM activity (table of contents, navigation, the framed player) and previews. */
export function scormPlayerRoutes(ctx: AppContext): Router {
  const r = Router();
  const { db, config } = ctx;

  r.get('/courses/:slug/activities/:id/scorm', requireUser);
  r.get('/courses/:slug/activities/:id/scorm', async (req, res) => {
    render(req, res, ctx, await openActivity(db, config, req.user!, req.params.slug, req.params.id));
  });

  r.post('/courses/:slug/activities/:id/scorm/new-attempt', requireUser);
  r.post('/courses/:slug/activities/:id/scorm/new-attempt', async (req, res) => {
    await startNewAttempt(db, req.user!, req.params.slug, req.params.id);
    flash(req, 'success', 'scorm:attempt.started');
    res.redirect(303, `/courses/${req.params.slug}/activities/${req.params.id}/scorm`);
  });

  r.get('/scorm/preview/:packageId', requireUser);
  r.get('/scorm/preview/:packageId', async (req, res) => {
    render(req, res, ctx, await previewPackage(db, config, req.user!, req.params.packageId));
  });
  return r;
}
