import type { Db } from '../../platform/db.js';
import type { PackageReport } from './report.js';

export interface PackageRow {
  id: string;
  format: string;
  title: string;
  description: string;
  language: string | null;
  owner_id: string;
  status: 'ready' | 'archived';
  latest_version: number;
  created_at: Date;
  updated_at: Date;
}

export interface PackageListRow extends PackageRow {
  owner_name: string;
  format_version: string;
}

export interface PackageVersionRow {
  id: string;
  package_id: string;
  version: number;
  storage_key: string;
  format_version: string;
  /** The format's manifest model (for SCORM: `ScormManifest` of the scorm module). */
  manifest: unknown;
  report: PackageReport;
  file_name: string;
  size_bytes: number;
  unpacked_bytes: number;
  file_count: number;
  sha256: string;
  uploaded_by: string | null;
  created_at: Date;
}

export type PackageVersionSummary = Omit<PackageVersionRow, 'manifest' | 'report'>;

const numbers = <T extends PackageVersionSummary>(v: T): T => ({
  ...v,
  size_bytes: Number(v.size_bytes),
  unpacked_bytes: Number(v.unpacked_bytes),
});

export async function insertPackage(
  db: Db,
  p: Pick<PackageRow, 'format' | 'title' | 'description' | 'language' | 'owner_id'>,
): Promise<PackageRow> {
  const [row] = await db('packages').insert(p).returning('*');
  return row as PackageRow;
}

export async function insertVersion(
  db: Db,
  v: Omit<PackageVersionRow, 'id' | 'created_at'>,
): Promise<PackageVersionRow> {
  const [row] = await db('package_versions')
    .insert({ ...v, manifest: JSON.stringify(v.manifest), report: JSON.stringify(v.report) })
    .returning('*');
  return numbers(row as PackageVersionRow);
}

export const findPackage = (db: Db, id: string): Promise<PackageRow | undefined> =>
  db<PackageRow>('packages').where({ id }).first();

export const lockPackage = (db: Db, id: string): Promise<PackageRow | undefined> =>
  db<PackageRow>('packages').where({ id }).forUpdate().first();

export const updatePackage = (
  db: Db,
  id: string,
  patch: Partial<Pick<PackageRow, 'title' | 'description' | 'language' | 'latest_version' | 'status'>>,
) =>
  db('packages')
    .where({ id })
    .update({ ...patch, updated_at: db.fn.now() });

export async function findVersion(
  db: Db,
  packageId: string,
  version: number,
): Promise<PackageVersionRow | undefined> {
  const row = await db<PackageVersionRow>('package_versions')
    .where({ package_id: packageId, version })
    .first();
  return row ? numbers(row) : undefined;
}

export async function listVersions(db: Db, packageId: string): Promise<PackageVersionSummary[]> {
  const rows: PackageVersionSummary[] = await db('package_versions')
    .where({ package_id: packageId })
    .orderBy('version', 'desc')
    .select(
      'id',
      'package_id',
      'version',
      'storage_key',
      'format_version',
      'file_name',
      'size_bytes',
      'unpacked_bytes',
      'file_count',
      'sha256',
      'uploaded_by',
      'created_at',
    );
  return rows.map(numbers);
}

export async function listPackages(db: Db, f: { ownerId?: string; limit: number; offset: number }) {
  const base = db('packages as p').modify((q) => {
    if (f.ownerId) q.where('p.owner_id', f.ownerId);
  });
  const [{ count }] = (await base.clone().count({ count: '*' })) as unknown as [{ count: number | string }];
  const rows = (await base
    .clone()
    .join('users as u', 'u.id', 'p.owner_id')
    .join('package_versions as v', (j) => j.on('v.package_id', 'p.id').andOn('v.version', 'p.latest_version'))
    .select('p.*', 'u.name as owner_name', 'v.format_version')
    .orderBy('p.updated_at', 'desc')
    .orderBy('p.id')
    .limit(f.limit)
    .offset(f.offset)) as PackageListRow[];
  return { packages: rows, total: Number(count) };
}
