/**
 * `npm run lrs:conformance-server -- --port P --key K --secret S`: the platform on a fresh, throw-away
 * database (embedded, in a temporary folder; or a new database on the server of DATABASE_URL) with one LRS
 * client of that key and secret and scope `all`, its LRS at http://127.0.0.1:P/xapi. For ADL's LRS
 * conformance test suite; see the LRS README. Ctrl-C stops it and removes that database.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import knexFactory from 'knex';
import { createApp } from '../src/app.js';
import { createLrsClient } from '../src/modules/lrs/index.js';
import { loadConfig } from '../src/platform/config.js';
import { openDatabase } from '../src/platform/db.js';
import { createLogger } from '../src/platform/logger.js';
import { migrateLatest } from '../src/platform/migrate.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8090' },
    key: { type: 'string' },
    secret: { type: 'string' },
    'log-level': { type: 'string', default: 'warn' },
  },
});
if (!values.key || !values.secret) {
  process.stderr.write('Usage: npm run lrs:conformance-server -- --port P --key K --secret S\n');
  process.exit(2);
}
const port = Number(values.port);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wch-lrs-conformance-'));
const base = loadConfig();
const config = {
  ...base,
  port,
  host: '127.0.0.1',
  publicUrl: `http://127.0.0.1:${port}`,
  contentOrigin: `http://localhost:${port + 1}`,
  dataDir,
  logLevel: values['log-level'],
  seedDemo: false,
};
const logger = createLogger(config.logLevel);

/** With DATABASE_URL: a new database on that server, dropped again on exit. */
async function onServer(url: string, sql: string): Promise<void> {
  const admin = knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: 1 } });
  try {
    await admin.raw(sql);
  } finally {
    await admin.destroy();
  }
}
const tempDbName = `wch_lrs_conformance_${randomBytes(4).toString('hex')}`;
let databaseUrl: string | undefined;
if (config.databaseUrl) {
  await onServer(config.databaseUrl, `create database ${tempDbName}`);
  const u = new URL(config.databaseUrl);
  u.pathname = `/${tempDbName}`;
  databaseUrl = u.toString();
}
const database = await openDatabase({ databaseUrl, dataDir });
await migrateLatest(database.db);
await createLrsClient(
  database.db,
  { name: 'conformance suite', scopes: ['all'], key: values.key, secret: values.secret },
  { publicUrl: config.publicUrl },
);
const { app } = await createApp({ config, db: database.db, logger });
const server = app.listen(port, config.host, () => {
  process.stdout.write(
    `LRS for the conformance suite at ${config.publicUrl}/xapi (key ${values.key}), database ${
      database.kind === 'postgres' ? `${tempDbName} on the DATABASE_URL server` : dataDir
    }\n`,
  );
});

const stop = () => {
  server.closeAllConnections();
  server.close(() => {
    void database.close().then(async () => {
      fs.rmSync(dataDir, { recursive: true, force: true });
      if (config.databaseUrl) await onServer(config.databaseUrl, `drop database if exists ${tempDbName}`);
      process.exit(0);
    });
  });
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
