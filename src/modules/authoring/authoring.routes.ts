import { Router } from 'express';
import type { AppContext } from '../../platform/context.js';
import { requireUser } from '../../platform/http/guards.js';
import { courseEditorRoutes } from './course-editor.routes.js';
import type { FileStore } from './files.storage.js';
import { lessonEditorRoutes } from './lesson-editor.routes.js';
import { publishingRoutes } from './publishing.routes.js';
import { questionEditorRoutes } from './question-editor.routes.js';

/** The editor: any member's own courses, their sections, lessons, blocks and quiz questions. */
export function authoringRoutes(ctx: AppContext, store: FileStore): Router {
  const r = Router();
  const deps = { store, peertubeHosts: ctx.config.authoringPeertubeHosts };
  r.use('/authoring', requireUser);
  r.use(
    courseEditorRoutes(ctx, deps),
    lessonEditorRoutes(ctx, deps),
    questionEditorRoutes(ctx),
    publishingRoutes(ctx, store),
  );
  return r;
}
