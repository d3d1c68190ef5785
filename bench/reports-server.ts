/** The platform for bench:reports' export memory, alone in its own process: DATABASE_URL, a loopback port. */
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/platform/config.js';
import { openDatabase } from '../src/platform/db.js';
import { createLogger } from '../src/platform/logger.js';
import { serveForBench } from './child-server.js';
import { PUBLIC_URL } from './reports-data.js';

const config = { ...loadConfig(), publicUrl: PUBLIC_URL, logLevel: 'silent', seedDemo: false };
const database = await openDatabase({ databaseUrl: config.databaseUrl });
const { app } = await createApp({ config, db: database.db, logger: createLogger('silent') });
serveForBench(app, database);
