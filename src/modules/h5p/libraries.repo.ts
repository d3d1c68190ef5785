import type { Db } from '../../platform/db.js';

export interface LibraryRow {
  id: string;
  machine_name: string;
  major_version: number;
  minor_version: number;
  patch_version: number;
  title: string;
  runnable: boolean;
  storage_key: string;
  definition: unknown;
  installed_by: string | null;
  created_at: Date;
  updated_at: Date;
}

export type LibraryKey = { machineName: string; majorVersion: number; minorVersion: number };

/** The installed libraries among these (by machine name and major.minor). */
export async function findLibraries(db: Db, keys: LibraryKey[]): Promise<LibraryRow[]> {
  if (!keys.length) return [];
  return db<LibraryRow>('h5p_libraries').where((q) => {
    for (const k of keys)
      q.orWhere({
        machine_name: k.machineName,
        major_version: k.majorVersion,
        minor_version: k.minorVersion,
      });
  });
}

export const lockLibrary = (db: Db, k: LibraryKey): Promise<LibraryRow | undefined> =>
  db<LibraryRow>('h5p_libraries')
    .where({ machine_name: k.machineName, major_version: k.majorVersion, minor_version: k.minorVersion })
    .forUpdate()
    .first();

/** Inserts the library; false when another upload installed it meanwhile. */
export async function insertLibrary(
  db: Db,
  l: Omit<LibraryRow, 'id' | 'created_at' | 'updated_at'>,
): Promise<boolean> {
  const rows = await db('h5p_libraries')
    .insert({ ...l, definition: JSON.stringify(l.definition) })
    .onConflict(['machine_name', 'major_version', 'minor_version'])
    .ignore()
    .returning('id');
  return rows.length > 0;
}

export const updateLibrary = (
  db: Db,
  id: string,
  l: Pick<LibraryRow, 'patch_version' | 'title' | 'runnable' | 'storage_key' | 'definition' | 'installed_by'>,
) =>
  db('h5p_libraries')
    .where({ id })
    .update({ ...l, definition: JSON.stringify(l.definition), updated_at: db.fn.now() });

/** The storage key of an installed library folder (`H5P.Foo-1.2`), or undefined. */
export async function storageKeyOf(db: Db, k: LibraryKey): Promise<string | undefined> {
  const row = (await db('h5p_libraries')
    .where({ machine_name: k.machineName, major_version: k.majorVersion, minor_version: k.minorVersion })
    .first('storage_key')) as { storage_key: string } | undefined;
  return row?.storage_key;
}

export const listLibraries = (db: Db): Promise<LibraryRow[]> =>
  db<LibraryRow>('h5p_libraries').orderBy('machine_name').orderBy('major_version').orderBy('minor_version');

// ---- who may install libraries besides admins ----

export async function isInstaller(db: Db, userId: string): Promise<boolean> {
  return !!(await db('h5p_library_installers').where({ user_id: userId }).first('user_id'));
}

export async function setInstaller(db: Db, userId: string, grantedBy: string, may: boolean): Promise<void> {
  if (may)
    await db('h5p_library_installers')
      .insert({ user_id: userId, granted_by: grantedBy })
      .onConflict('user_id')
      .ignore();
  else await db('h5p_library_installers').where({ user_id: userId }).delete();
}

export const installerIds = async (db: Db, limit: number): Promise<string[]> =>
  (await db('h5p_library_installers').orderBy('created_at').limit(limit).pluck('user_id')) as string[];
