import type { AppContext } from '../../platform/context.js';
import type { ActivityRenderer } from '../courses/index.js';
import { startLaunch } from './launch.service.js';

/** The H5P activity inside the course's activity page: a frame with the player on the content origin. */
export function h5pActivityRenderer(ctx: AppContext): ActivityRenderer {
  return async (a) => {
    const launch = await startLaunch(ctx, a);
    return {
      view: 'h5p/_activity',
      locals: {
        playerUrl: launch ? `${ctx.config.contentOrigin}/h5p/play/${launch.token}` : null,
        contentOrigin: ctx.config.contentOrigin,
        preview: launch?.row.preview ?? false,
        frameTitle: a.activity.title,
      },
    };
  };
}
