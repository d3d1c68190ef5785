/**
 * The platform as a child process for the durability test: `--data DIR` (embedded database kept in
 * that folder) or DATABASE_URL, one LRS client of `--key`/`--secret`, listening on a loopback port
 * that it prints as "READY <port>".
 */
import { parseArgs } from 'node:util';
import { createApp } from '../../../src/app.js';
import { createLrsClient } from '../../../src/modules/lrs/index.js';
import { loadConfig } from '../../../src/platform/config.js';
import { openDatabase } from '../../../src/platform/db.js';
import { createLogger } from '../../../src/platform/logger.js';
import { migrateLatest } from '../../../src/platform/migrate.js';

const { values } = parseArgs({
  options: { data: { type: 'string' }, key: { type: 'string' }, secret: { type: 'string' } },
});
const config = {
  ...loadConfig(),
  host: '127.0.0.1',
  publicUrl: 'http://127.0.0.1:3000',
  contentOrigin: 'http://localhost:3001',
  logLevel: 'silent',
  seedDemo: false,
  lrsRateLimit: 0,
};
const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: values.data });
await migrateLatest(database.db);
const known = await database.db('lrs_clients').where({ key: values.key }).first();
if (!known)
  await createLrsClient(
    database.db,
    { name: 'durability', scopes: ['all'], key: values.key!, secret: values.secret! },
    { publicUrl: config.publicUrl },
  );
const { app } = await createApp({ config, db: database.db, logger: createLogger('silent') });
const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`READY ${typeof address === 'object' && address ? address.port : 0}\n`);
});
