import type { Config } from '../../platform/config.js';
import type { AppContext } from '../../platform/context.js';
import type { Db } from '../../platform/db.js';
import { Conflict, NotFound } from '../../platform/errors.js';
import type { i18n } from 'i18next';
import { findCourseBySlug } from '../courses/index.js';
import * as repo from './authoring.repo.js';
import type { ExportFormat } from './authoring.schemas.js';
import { exportFiles } from './export/package.js';
import type { FileStore } from './files.storage.js';
import { versionSnapshot } from './publish.service.js';

/** The export of the course's newest published version; 409 while it has none. */
export async function exportPublished(
  ctx: Pick<AppContext, 'db' | 'config' | 'i18n'>,
  store: FileStore,
  course: repo.AuthoredCourseRow,
  format: ExportFormat,
) {
  if (!course.published_version) throw new Conflict('authoring:export.notPublished');
  const snapshot = await versionSnapshot(ctx.db, course.id, course.published_version);
  const files = await exportFiles(snapshot, format, {
    t: ctx.i18n.getFixedT(snapshot.language),
    publicUrl: ctx.config.publicUrl,
    peertubeHosts: ctx.config.authoringPeertubeHosts,
    readFile: async (fileId) => {
      const f = await repo.findFile(ctx.db, course.id, fileId);
      if (!f) throw new NotFound('file');
      return store.read(f.storage_key);
    },
  });
  return { snapshot, files };
}

/** For the command line: the authored course behind a platform course's slug. */
export async function exportBySlug(
  ctx: { db: Db; config: Config; i18n: i18n },
  store: FileStore,
  slug: string,
  format: ExportFormat,
) {
  const course = await findCourseBySlug(ctx.db, slug);
  const authored = course ? await repo.findAuthoredCourseByPlatformCourse(ctx.db, course.id) : undefined;
  if (!authored) throw new NotFound('course');
  return exportPublished(ctx, store, authored, format);
}
