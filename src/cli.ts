import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './platform/config.js';
import { DatabaseUnavailable, openDatabase } from './platform/db.js';
import { migrateLatest } from './platform/migrate.js';
import { ValidationFailed } from './platform/errors.js';
import { createI18n } from './platform/i18n.js';
import { commands } from './cli/commands.js';
import { CliUsageError } from './cli/errors.js';

/** `npm run cli -- <command> [options]`: admin commands against the server's own database. */
async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const command = name ? commands[name] : undefined;
  if (!command) {
    const list = Object.entries(commands)
      .map(([n, c]) => `  ${n.padEnd(20)} ${c.summary}`)
      .join('\n');
    process.stderr.write(
      `${name ? `Unknown command "${name}".\n\n` : ''}Usage: npm run cli -- <command> [options]\n\n${list}\n`,
    );
    return name ? 2 : 0;
  }
  const { values, positionals } = parseArgs({
    args: rest,
    options: command.options,
    strict: true,
    allowPositionals: true,
  });
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrateLatest(database.db);
    const out = await command.run(
      { db: database.db, config },
      values as Record<string, string | undefined>,
      positionals,
    );
    process.stdout.write(out.endsWith('\n') ? out : out + '\n');
    return 0;
  } finally {
    await database.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  async (err: unknown) => {
    if (err instanceof ValidationFailed) {
      const t = (await createI18n()).getFixedT('en');
      const fields = Object.entries(err.fields).map(([f, m]) => `  ${f}: ${t(m)}`);
      process.stderr.write(`Refused:\n${fields.join('\n')}\n`);
    } else if (
      err instanceof ConfigError ||
      err instanceof DatabaseUnavailable ||
      err instanceof CliUsageError
    ) {
      process.stderr.write(`${err.message}\n`);
    } else if (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`${err.message}\n`);
    } else {
      process.stderr.write(`Failed: ${err instanceof Error ? err.message : String(err)}\n`);
    }
    process.exit(1);
  },
);
