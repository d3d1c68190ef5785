import type { Router } from 'express';
import type { AppContext } from '../../platform/context.js';
import { registerActivityRenderer } from '../courses/index.js';
import { registerContentRoutes, registerPackageFormat } from '../packages/index.js';
import { registerIriResolver } from '../progress/index.js';
import { h5pActivityRenderer } from './activity.js';
import { h5pAdminRoutes } from './admin.routes.js';
import { activityIri } from './launch.service.js';
import { h5pLaunchRoutes } from './launch.routes.js';
import { h5pPackageFormat } from './package-format.js';
import { registerPlayerRoutes } from './player.routes.js';

export { h5pPackageFormat, validateH5pPackage, type H5pModel } from './package-format.js';
export { activityIri, learnerAgent } from './launch.service.js';
export { mayInstallLibraries } from './libraries.service.js';

let contentRoutesAdded = false;

/**
 * The H5P module: registers its package format, its player on the content origin, the activity renderer
 * and the IRIs progress tracks. Mount `launches` at /h5p/launches before the session and CSRF middleware
 * (the player calls it cross-origin with its launch token), and `pages` before the accounts admin routes.
 */
export function h5pModule(ctx: AppContext): { launches: Router; pages: Router } {
  registerPackageFormat(h5pPackageFormat);
  if (!contentRoutesAdded) {
    contentRoutesAdded = true;
    registerContentRoutes((router, c) => registerPlayerRoutes(router, c));
  }
  registerActivityRenderer('h5p', h5pActivityRenderer(ctx));
  const publicUrl = ctx.config.publicUrl;
  registerIriResolver('h5p', (a) => [{ iri: activityIri(publicUrl, a.id), title: a.title }]);
  return { launches: h5pLaunchRoutes(ctx), pages: h5pAdminRoutes(ctx) };
}
