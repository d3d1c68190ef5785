import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Config } from '../../platform/config.js';
import type { Db } from '../../platform/db.js';
import { NotFound } from '../../platform/errors.js';
import type { FileStorage } from '../../platform/storage.js';
import {
  detectFormat,
  extractedPackage,
  manifestFiles,
  type FormatContext,
  type PackageActor,
} from './formats.js';
import * as repo from './packages.repo.js';
import { mayEditPackage } from './packages.policy.js';
import { PackageRefused, refuse, type PackageReport } from './report.js';
import { packageStorage } from './storage.js';
import { unzipSafely } from './unzip.js';

export interface ImportContext {
  db: Db;
  config: Config;
  /** Defaults to the disk storage under CONTENT_DIR. */
  storage?: FileStorage;
}

export interface ImportInput {
  /** A local zip (or .h5p) file; the caller removes it. */
  zipPath: string;
  /** The name the uploader gave it (shown in the report; `.h5p` means an H5P package is expected). */
  fileName: string;
  actor: PackageActor;
  /** Upload a new version of this package instead of a new package. */
  packageId?: string;
}

export interface ImportResult {
  package: repo.PackageRow;
  version: repo.PackageVersionRow;
  report: PackageReport;
}

const sha256Of = async (file: string) => {
  const hash = createHash('sha256');
  await pipeline(fs.createReadStream(file), hash);
  return hash.digest('hex');
};

/**
 * Imports a package: unpacks it safely into a staging folder, detects and validates its format, and only
 * when all is well writes the rows and moves the files to `<packageId>/<version>`. On any error nothing
 * is kept (no rows, no files) and PackageRefused carries the report.
 */
export async function importPackage(ctx: ImportContext, input: ImportInput): Promise<ImportResult> {
  const { db, config } = ctx;
  const storage = ctx.storage ?? packageStorage(config);
  const existing = input.packageId ? await repo.findPackage(db, input.packageId) : undefined;
  if (input.packageId && (!existing || !mayEditPackage(input.actor, existing))) throw new NotFound('package');

  const staging = await storage.createStaging();
  let publishedKey: string | null = null;
  try {
    const unzipped = await unzipSafely(
      input.zipPath,
      staging,
      input.fileName,
      config.packages,
      manifestFiles(),
    );
    const pkg = extractedPackage(staging, unzipped.files, input.fileName);
    const format = detectFormat(pkg);
    const isH5pName = /\.h5p$/i.test(input.fileName);
    if (!format || (isH5pName && format.name !== 'h5p'))
      throw refuse(input.fileName, isH5pName ? 'packages:errors.notH5p' : 'packages:errors.noManifest');
    const fctx: FormatContext = { db, config, storage, actor: input.actor };
    const findings = await format.validate(pkg, fctx);
    const report: PackageReport = {
      format: format.name,
      fileName: input.fileName,
      title: findings.title,
      fileCount: unzipped.files.size,
      unpackedBytes: unzipped.unpackedBytes,
      formatVersion: findings.formatVersion,
      formatLabel: findings.formatLabel,
      organizations: findings.organizations,
      resources: findings.resources,
      launchFiles: findings.launchFiles,
      notices: [...unzipped.notices, ...findings.notices],
      warnings: findings.warnings,
      errors: findings.errors,
    };
    if (existing && existing.format !== format.name)
      report.errors.push({
        key: 'packages:errors.formatChanged',
        params: { was: existing.format, now: format.name },
      });
    if (report.errors.length) throw new PackageRefused(report);

    const sizeBytes = (await fs.promises.stat(input.zipPath)).size;
    const sha256 = await sha256Of(input.zipPath);
    return await db.transaction(async (trx) => {
      let row: repo.PackageRow;
      if (existing) {
        row = (await repo.lockPackage(trx, existing.id))!;
        row = { ...row, latest_version: row.latest_version + 1 };
        await repo.updatePackage(trx, row.id, { latest_version: row.latest_version });
      } else {
        row = await repo.insertPackage(trx, {
          format: format.name,
          title: findings.title.slice(0, 500),
          description: findings.description.slice(0, 5000),
          language: findings.language?.slice(0, 35) || null,
          owner_id: input.actor.id,
        });
      }
      const storageKey = `${row.id}/${row.latest_version}`;
      const version = await repo.insertVersion(trx, {
        package_id: row.id,
        version: row.latest_version,
        storage_key: storageKey,
        format_version: findings.formatVersion,
        manifest: findings.model,
        report,
        file_name: input.fileName.slice(0, 255),
        size_bytes: sizeBytes,
        unpacked_bytes: unzipped.unpackedBytes,
        file_count: unzipped.files.size,
        sha256,
        uploaded_by: input.actor.id,
      });
      await format.store?.(trx, { packageId: row.id, version: row.latest_version, storageKey }, pkg, fctx);
      // Last step of the transaction: if the commit fails after this, the catch below removes the files.
      await storage.publish(staging, storageKey);
      publishedKey = storageKey;
      return { package: row, version, report };
    });
  } catch (err) {
    if (publishedKey) await storage.remove(publishedKey);
    throw err;
  } finally {
    await storage.discard(staging);
  }
}
