import fs from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Knex } from 'knex';
import type { Db } from './db.js';
import { migrationsDir } from './paths.js';

interface Migration {
  up(db: Knex): Promise<void>;
  down?(db: Knex): Promise<void>;
}

/** Reads migrations/ as ESM: .ts under tsx, the compiled .js otherwise. */
class FolderMigrations implements Knex.MigrationSource<string> {
  constructor(private readonly dir: string) {}
  async getMigrations(): Promise<string[]> {
    const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
    const files = await fs.readdir(this.dir);
    return files.filter((f) => f.endsWith(ext) && !f.endsWith('.d.ts')).sort();
  }
  getMigrationName(file: string): string {
    return file.replace(/\.(ts|js)$/, '');
  }
  async getMigration(file: string): Promise<Migration> {
    return (await import(pathToFileURL(path.join(this.dir, file)).href)) as Migration;
  }
}

export async function migrateLatest(db: Db): Promise<void> {
  await db.migrate.latest({ migrationSource: new FolderMigrations(migrationsDir) });
}
