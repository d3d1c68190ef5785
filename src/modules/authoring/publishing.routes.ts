import { Router } from 'express';
import type { AppContext } from '../../platform/context.js';
import { Conflict, NotFound } from '../../platform/errors.js';
import { flash } from '../../platform/http/locals.js';
import { ExportFormat } from './authoring.schemas.js';
import { courseForAuthor } from './editor.service.js';
import { exportFileName, writeZip } from './export/package.js';
import { exportPublished } from './export.service.js';
import type { FileStore } from './files.storage.js';
import { publish } from './publish.service.js';
import { editorPath } from './respond.js';

/** Publishing the draft as the next version, and downloading the published version as a zip. */
export function publishingRoutes(ctx: AppContext, store: FileStore): Router {
  const r = Router();
  const { db, config } = ctx;

  r.post('/authoring/courses/:id/publish', async (req, res) => {
    try {
      const { version } = await publish(db, config, req.user!, req.params.id);
      flash(req, 'success', 'authoring:publish.done', { version });
    } catch (err) {
      if (!(err instanceof Conflict)) throw err;
      flash(req, 'error', 'authoring:publish.refused');
    }
    res.redirect(303, editorPath(req.params.id));
  });

  r.get('/authoring/courses/:id/export/:format', async (req, res) => {
    const format = ExportFormat.safeParse(req.params.format);
    if (!format.success) throw new NotFound('page');
    const course = await courseForAuthor(db, req.user!, req.params.id);
    const { snapshot, files } = await exportPublished(ctx, store, course, format.data);
    res.setHeader('Content-Type', 'application/zip');
    res.setHeader('Content-Disposition', `attachment; filename="${exportFileName(snapshot, format.data)}"`);
    await writeZip(files, res);
  });

  return r;
}
