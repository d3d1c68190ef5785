import type { Router } from 'express';
import type { AppContext } from '../../platform/context.js';
import { registerActivityLauncher } from '../courses/index.js';
import { registerIriResolver } from '../progress/index.js';
import { authoringRoutes } from './authoring.routes.js';
import { diskFileStore } from './files.storage.js';
import { AUTHORED_KIND } from './publish.service.js';
import { courseIri } from './statements.js';
import { takeRoutes } from './take.routes.js';

export { authoringUploads } from './uploads.js';
export { seedGettingStarted } from './seed.js';
export { exportBySlug } from './export.service.js';
export { writeZip, exportFileName } from './export/package.js';
export { diskFileStore, type FileStore } from './files.storage.js';

/** The editor (/authoring), taking courses (/learn) and authored files; authored activities open in /learn. */
export function authoringModule(ctx: AppContext): Router[] {
  const store = diskFileStore(ctx.config.contentDir);
  registerActivityLauncher(AUTHORED_KIND, (course) => `/learn/${course.slug}`);
  // publishing registers the IRI; this derives it for activities published before it did
  const { publicUrl } = ctx.config;
  registerIriResolver(AUTHORED_KIND, (a) =>
    typeof a.content_ref.authoredCourseId === 'string'
      ? [{ iri: courseIri(publicUrl, a.content_ref.authoredCourseId), title: a.title }]
      : [],
  );
  return [authoringRoutes(ctx, store), takeRoutes(ctx, store)];
}
