/** The platform for `npm run bench:lrs`, in its own process: DATABASE_URL, one LRS client, a loopback port. */
import { parseArgs } from 'node:util';
import { serveForBench } from './child-server.js';
import { createApp } from '../src/app.js';
import { createLrsClient } from '../src/modules/lrs/index.js';
import { loadConfig } from '../src/platform/config.js';
import { openDatabase } from '../src/platform/db.js';
import { createLogger } from '../src/platform/logger.js';

const { values } = parseArgs({ options: { key: { type: 'string' }, secret: { type: 'string' } } });
const config = {
  ...loadConfig(),
  env: 'production' as const,
  host: '127.0.0.1',
  publicUrl: 'http://127.0.0.1:3000',
  contentOrigin: 'http://localhost:3001',
  logLevel: 'silent',
  seedDemo: false,
  lrsRateLimit: 0,
};
const database = await openDatabase({ databaseUrl: config.databaseUrl });
await createLrsClient(
  database.db,
  { name: 'bench', scopes: ['all'], key: values.key!, secret: values.secret! },
  { publicUrl: config.publicUrl },
);
const { app } = await createApp({ config, db: database.db, logger: createLogger('silent') });
const server = serveForBench(app, database);
// the bench's clients keep their connections: on a loaded machine a pause past Node's 5 s default resets them
server.keepAliveTimeout = 120_000;
