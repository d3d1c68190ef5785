/**
 * The throw-away database of a bench, on the PostgreSQL server of DATABASE_URL: a database named "…bench" is
 * used as it is, any other name gets a bench's own suffix ("wch" → "wch_lrsbench"). `recreate()` drops and
 * creates it; `open()` opens it and applies the migrations; `drop()` removes it after a run.
 */
import pg from 'pg';
import { loadConfig } from '../src/platform/config.js';
import { openDatabase, type Database } from '../src/platform/db.js';
import { migrateLatest } from '../src/platform/migrate.js';

export interface ThrowawayDb {
  /** the bench database's URL (what its platform processes get as DATABASE_URL) */
  url: string;
  name: string;
  exists(): Promise<boolean>;
  recreate(): Promise<void>;
  drop(): Promise<void>;
  /** the database, migrated to the latest migration */
  open(): Promise<Database>;
}

/** The bench database beside DATABASE_URL; exits with a hint when DATABASE_URL is not set. */
export function throwawayDb(suffix: string): ThrowawayDb {
  const baseUrl = loadConfig().databaseUrl;
  if (!baseUrl) {
    process.stderr.write(
      'Set DATABASE_URL to a PostgreSQL server (a throw-away database is created beside it).\n',
    );
    process.exit(2);
  }
  const u = new URL(baseUrl);
  // only letters, digits and _ : the name is written into SQL as it is
  const base = (u.pathname.slice(1) || 'postgres').replace(/[^a-z0-9_]/gi, '_');
  const name = base.endsWith('bench') ? base : `${base}_${suffix}`;
  u.pathname = `/${name}`;
  const adminUrl = new URL(u);
  adminUrl.pathname = '/postgres';

  const admin = async (sql: string, values: unknown[] = []) => {
    const c = new pg.Client({ connectionString: adminUrl.toString() });
    await c.connect();
    try {
      return await c.query(sql, values);
    } finally {
      await c.end();
    }
  };
  return {
    url: u.toString(),
    name,
    exists: async () => (await admin('select 1 from pg_database where datname = $1', [name])).rows.length > 0,
    recreate: async () => {
      await admin(`drop database if exists ${name} with (force)`);
      await admin(`create database ${name}`);
    },
    drop: async () => {
      await admin(`drop database if exists ${name} with (force)`);
    },
    open: async () => {
      const database = await openDatabase({ databaseUrl: u.toString() });
      try {
        await migrateLatest(database.db);
      } catch (err) {
        await database.close();
        throw err;
      }
      return database;
    },
  };
}
