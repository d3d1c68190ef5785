import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import ClientPgLite from 'knex-pglite';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';

export type Db = Knex;
export type Trx = Knex.Transaction;

// bigint counts come back as strings from pg; our counts fit in a JS number.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

/** The database cannot be opened for a reason its operator must fix; the message says which. */
export class DatabaseUnavailable extends Error {}
export class DatabaseLocked extends DatabaseUnavailable {}

export interface Database {
  db: Db;
  kind: 'postgres' | 'pglite';
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl?: string;
  /** Folder of the embedded database; ignored when databaseUrl is set. */
  dataDir?: string;
  /** For tests: an embedded database in memory, or loaded from a dump. */
  inMemory?: boolean;
  loadDataDir?: Blob;
}

export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  if (opts.databaseUrl) {
    await checkServer(opts.databaseUrl);
    const db = knexFactory({ client: 'pg', connection: opts.databaseUrl, pool: { min: 0, max: 10 } });
    return { db, kind: 'postgres', close: () => db.destroy() };
  }
  if (opts.inMemory || opts.loadDataDir) {
    const pglite = new PGlite(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {});
    const db = await openPgLite(() => ({ pglite }));
    return { db, kind: 'pglite', close: () => db.destroy() };
  }
  const dir = path.resolve(opts.dataDir ?? 'data');
  fs.mkdirSync(dir, { recursive: true });
  const release = takeLock(path.join(dir, 'db.lock'));
  try {
    const db = await openPgLite({ filename: path.join(dir, 'db') });
    return {
      db,
      kind: 'pglite',
      close: async () => {
        await db.destroy();
        release();
      },
    };
  } catch (err) {
    release();
    throw err;
  }
}

/** Whether the database answers `select 1` within the time given (a hung server must not hang /healthz). */
export async function databaseAnswers(db: Db, timeoutMs = 3000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
  try {
    return await Promise.race([db.raw('select 1').then(() => true as const), late]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** One plain connection first, so that a wrong DATABASE_URL stops the start with one clear line. */
async function checkServer(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
  } catch (err) {
    const { hostname, port, pathname } = new URL(url);
    const where = `${hostname}:${port || 5432}, database ${decodeURIComponent(pathname.slice(1)) || '(default)'}`;
    throw new DatabaseUnavailable(
      `Could not connect to the PostgreSQL server of DATABASE_URL (${where}): ${(err as Error).message}. ` +
        'Check that the server runs and that the user, password and database in DATABASE_URL are right.',
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function openPgLite(connection: Record<string, unknown> | (() => { pglite: PGlite })): Promise<Db> {
  const db = knexFactory({ client: ClientPgLite, dialect: 'postgres', connection } as Knex.Config);
  await db.raw('select 1'); // opens (and on first use, initialises) the data folder now, not on first request
  return db;
}

/** PGlite has no lock of its own: two processes on one folder would lose writes. */
function takeLock(file: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx');
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      return () => fs.rmSync(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(fs.readFileSync(file, 'utf8').trim());
      if (pid && pid !== process.pid && isAlive(pid)) {
        throw new DatabaseLocked(
          `The embedded database in ${path.dirname(file)} is in use by another process (pid ${pid}). ` +
            'Stop that process (the server or the CLI) first, or set DATABASE_URL to use a PostgreSQL server.',
        );
      }
      fs.rmSync(file, { force: true }); // stale lock of a process that died
    }
  }
  throw new DatabaseLocked(`Could not take the database lock ${file}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** For tests: a snapshot of an embedded database, to start others from (faster than migrating each). */
export async function dumpPgLite(db: Db): Promise<Blob> {
  const pglite = (db.client as { pglite?: PGlite }).pglite;
  if (!pglite) throw new Error('not an embedded database');
  return (await pglite.dumpDataDir('none')) as Blob;
}
