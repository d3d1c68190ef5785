import type { Server } from 'node:http';
import { createApp } from './app.js';
import { accountChores } from './modules/accounts/index.js';
import { startContentServer } from './content-server.js';
import { ConfigError, loadConfig } from './platform/config.js';
import { DatabaseUnavailable, openDatabase } from './platform/db.js';
import { startHousekeeping } from './platform/housekeeping.js';
import { purgeExpiredSessions } from './platform/http/session.js';
import { createLogger } from './platform/logger.js';
import { migrateLatest } from './platform/migrate.js';
import { seedDemo } from './seed.js';

/** boot: config → database → migrate → seed (empty database only) → listen; Ctrl-C closes it all. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  let server: Server | undefined; // eslint-disable-line prefer-const -- assigned after the handlers that close it
  let contentServer: Server | undefined; // eslint-disable-line prefer-const -- assigned after the handlers that close it
  let stopBackground: (() => void) | undefined; // eslint-disable-line prefer-const -- assigned after the handlers that call it
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    stopBackground?.();
    server?.closeAllConnections();
    contentServer?.closeAllConnections();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    await new Promise((resolve) => (contentServer ? contentServer.close(resolve) : resolve(undefined)));
    await database.close();
    logger.info('stopped: database closed');
    process.exit(0);
  };
  // A promise nobody awaited failed: one request's problem, so log it whole and keep serving the others.
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection'));
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  await migrateLatest(database.db);
  if (config.seedDemo) {
    const printed = await seedDemo(database.db);
    if (printed) process.stdout.write(printed);
  }
  const { app, ctx } = await createApp({ config, db: database.db, logger });
  const stopMail = ctx.mailer.startDelivery(ctx.db);
  const stopChores = startHousekeeping(ctx.db, logger, [
    { name: 'expired sessions', run: purgeExpiredSessions },
    ...accountChores(config),
  ]);
  stopBackground = () => {
    stopMail();
    stopChores();
  };
  contentServer = await startContentServer({ config, db: database.db, logger });
  server = app.listen(config.port, config.host, () => {
    logger.info(
      {
        url: config.publicUrl,
        database: database.kind === 'postgres' ? 'PostgreSQL server' : `embedded (${config.dataDir})`,
      },
      'WorkCoopHub is listening',
    );
    process.stdout.write(`\nWorkCoopHub is running at ${config.publicUrl}\n\n`);
  });
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof DatabaseUnavailable) {
    process.stderr.write(`${err.message}\n`);
  } else {
    process.stderr.write(
      `WorkCoopHub could not start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
  }
  process.exit(1);
});
