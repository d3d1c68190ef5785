import http from 'node:http';
import type { Config } from './platform/config.js';
import type { Db } from './platform/db.js';
import type { Logger } from './platform/logger.js';
import { createContentApp } from './modules/packages/index.js';

/** Where the content origin listens: 127.0.0.1 by default (another site than `localhost`), else HOST. */
export function contentListenHost(config: Config): string {
  const host = new URL(config.contentOrigin).hostname;
  return host === '127.0.0.1' || host === '[::1]' ? host.replace(/[[\]]/g, '') : config.host;
}

/** The second origin of the process: package files and player pages on CONTENT_PORT. */
export async function startContentServer(opts: {
  config: Config;
  db: Db;
  logger: Logger;
  port?: number;
}): Promise<http.Server> {
  const app = await createContentApp(opts);
  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? opts.config.contentPort, contentListenHost(opts.config), () => resolve());
  });
  return server;
}
