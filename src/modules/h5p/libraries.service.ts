import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Knex } from 'knex';
import type { Db } from '../../platform/db.js';
import { findUserById, listUsers } from '../accounts/index.js';
import type { PackageActor } from '../packages/index.js';
import { folderOf, labelOf, type LibraryJson } from './h5p.schemas.js';
import * as repo from './libraries.repo.js';

/** Admins, and users an admin allowed to, may bring new H5P libraries (or newer patch versions). */
export async function mayInstallLibraries(db: Db, actor: PackageActor): Promise<boolean> {
  return actor.roles.includes('admin') || (await repo.isInstaller(db, actor.id));
}

/** Names of people who may install libraries (active admins first), for the refusal message. */
export async function whoMayInstall(db: Db, max = 5): Promise<string[]> {
  const { users } = await listUsers(db, { role: 'admin', limit: 50, offset: 0 });
  const names = users.filter((u) => u.status === 'active').map((u) => u.name);
  for (const id of await repo.installerIds(db, max)) {
    const u = await findUserById(db, id);
    if (u && u.status === 'active' && !names.includes(u.name)) names.push(u.name);
  }
  return names.slice(0, max);
}

/** A library read from a package: its folder and library.json. */
export interface PackagedLibrary {
  folder: string;
  json: LibraryJson;
}

export type LibraryAction = 'install' | 'upgrade' | 'installed' | 'older';

/** What importing a package would do with each of its libraries, against what is installed now. */
export async function planLibraries(db: Db, libs: PackagedLibrary[]) {
  const installed = await repo.findLibraries(
    db,
    libs.map((l) => l.json),
  );
  const byFolder = new Map(installed.map((r) => [folderOf(rowKey(r)), r]));
  return libs.map((l) => {
    const row = byFolder.get(l.folder);
    const action: LibraryAction = !row
      ? 'install'
      : l.json.patchVersion > row.patch_version
        ? 'upgrade'
        : l.json.patchVersion === row.patch_version
          ? 'installed'
          : 'older';
    return { ...l, action, installedPatch: row?.patch_version ?? null };
  });
}

export const rowKey = (r: repo.LibraryRow): repo.LibraryKey => ({
  machineName: r.machine_name,
  majorVersion: r.major_version,
  minorVersion: r.minor_version,
});

/** Folders of installed libraries among these keys. */
export async function installedFolders(db: Db, keys: repo.LibraryKey[]): Promise<Set<string>> {
  return new Set((await repo.findLibraries(db, keys)).map((r) => folderOf(rowKey(r))));
}

/** The storage a library is moved into (the package storage). */
export interface LibraryStorage {
  createStaging(): Promise<string>;
  publish(stagingDir: string, key: string): Promise<void>;
  remove(key: string): Promise<void>;
}

/** Thrown inside the import transaction when the libraries changed since the package was validated. */
export class LibrariesChanged extends Error {
  constructor(readonly labels: string[]) {
    super(`libraries not installed: ${labels.join(', ')}`);
  }
}

/**
 * Installs the package's libraries that are new, or newer patch versions, when the actor may; takes every
 * library folder out of the package folder (they are shared, not kept per package). Runs inside the import
 * transaction: files published here are removed again if it rolls back, and a replaced version's files are
 * removed once it commits.
 */
export async function storeLibraries(
  trx: Db,
  storage: LibraryStorage,
  pkgDir: string,
  libs: PackagedLibrary[],
  actor: PackageActor,
): Promise<void> {
  const mayInstall = await mayInstallLibraries(trx, actor);
  const published: string[] = [];
  const replaced: string[] = [];
  const missing: string[] = [];
  // Read when the transaction ends (the lists are filled below).
  (trx as unknown as Partial<Knex.Transaction>).executionPromise?.then(
    () => Promise.all(replaced.map((k) => storage.remove(k))).catch(() => undefined),
    () => Promise.all(published.map((k) => storage.remove(k))).catch(() => undefined),
  );
  for (const lib of [...libs].sort((a, b) => a.folder.localeCompare(b.folder))) {
    const dir = path.join(pkgDir, lib.folder);
    const current = await repo.lockLibrary(trx, lib.json);
    const newer = !current || lib.json.patchVersion > current.patch_version;
    if (newer && mayInstall) {
      const key = `h5p-libraries/${lib.folder}/${lib.json.patchVersion}-${randomBytes(6).toString('hex')}`;
      const staging = await storage.createStaging();
      await fs.rm(staging, { recursive: true, force: true });
      await fs.rename(dir, staging);
      await storage.publish(staging, key);
      published.push(key);
      const row = {
        patch_version: lib.json.patchVersion,
        title: lib.json.title.slice(0, 1000),
        runnable: Boolean(lib.json.runnable),
        storage_key: key,
        definition: lib.json,
        installed_by: actor.id,
      };
      if (current) {
        await repo.updateLibrary(trx, current.id, row);
        replaced.push(current.storage_key);
      } else if (
        !(await repo.insertLibrary(trx, {
          ...row,
          machine_name: lib.json.machineName,
          major_version: lib.json.majorVersion,
          minor_version: lib.json.minorVersion,
        }))
      )
        throw new LibrariesChanged([labelOf(lib.json)]);
    } else {
      if (!current) missing.push(labelOf(lib.json));
      await fs.rm(dir, { recursive: true, force: true });
    }
  }
  if (missing.length) throw new LibrariesChanged(missing);
}
