import { randomBytes } from 'node:crypto';
import knexFactory from 'knex';
import { testDatabaseUrl } from '../../src/platform/config.js';
import { dumpPgLite, openDatabase, type Database } from '../../src/platform/db.js';
import { migrateLatest } from '../../src/platform/migrate.js';

/**
 * A fresh, migrated database for one test file: on the PostgreSQL server of TEST_DATABASE_URL when set
 * (a new database cloned from a template migrated once per run), else an embedded PGlite in memory
 * (loaded from a migrated snapshot).
 */
export const usingServer = () => Boolean(testDatabaseUrl());

let pgliteSnapshot: Promise<Blob> | undefined;
let serverTemplate: Promise<string> | undefined;
const created: string[] = [];

export async function createTestDatabase(): Promise<Database & { url?: string }> {
  const url = testDatabaseUrl();
  if (!url) {
    pgliteSnapshot ??= (async () => {
      const d = await openDatabase({ inMemory: true });
      await migrateLatest(d.db);
      const blob = await dumpPgLite(d.db);
      await d.close();
      return blob;
    })();
    return openDatabase({ loadDataDir: await pgliteSnapshot });
  }
  serverTemplate ??= createTemplate(url);
  const template = await serverTemplate;
  const name = `${template.replace(/_tpl$/, '')}_${randomBytes(4).toString('hex')}`;
  await withAdmin(url, (admin) => admin.raw(`create database ${name} template ${template}`));
  created.push(name);
  const dbUrl = withDbName(url, name);
  return { ...(await openDatabase({ databaseUrl: dbUrl })), url: dbUrl };
}

async function createTemplate(url: string): Promise<string> {
  const base = new URL(url).pathname.slice(1) || 'test';
  const template = `${base}_${process.pid}_tpl`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  await withAdmin(url, async (admin) => {
    await admin.raw(`drop database if exists ${template}`);
    await admin.raw(`create database ${template}`);
  });
  created.push(template);
  const d = await openDatabase({ databaseUrl: withDbName(url, template) });
  await migrateLatest(d.db);
  await d.close();
  return template;
}

/**
 * Drops what this run created; called once after all tests. A run makes hundreds (tests may still reach a
 * database by its URL after closing their own handle, e.g. through a CLI child), so four drops run at a time.
 */
export async function dropTestDatabases(): Promise<void> {
  const url = testDatabaseUrl();
  if (!url || !created.length) return;
  const admin = knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: 4 } });
  try {
    const drop = (name: string) => admin.raw(`drop database if exists ${name} with (force)`);
    const queue = created.filter((name) => !name.endsWith('_tpl')); // the clones first, then their template
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let name = queue.pop(); name; name = queue.pop()) await drop(name);
      }),
    );
    for (const name of created.filter((n) => n.endsWith('_tpl'))) await drop(name);
  } finally {
    await admin.destroy();
  }
}

function withDbName(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = '/' + name;
  return u.toString();
}

async function withAdmin<T>(url: string, fn: (k: knexFactory.Knex) => Promise<T>): Promise<T> {
  const admin = knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: 1 } });
  try {
    return await fn(admin);
  } finally {
    await admin.destroy();
  }
}

export const uniqueSuffix = () => randomBytes(4).toString('hex');
