import { constants, createReadStream, openSync, type ReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

/** A stored file opened for reading. */
export interface StoredFile {
  size: number;
  modified: Date;
  /** The bytes, or the inclusive range `start`–`end` of them. */
  stream(range?: { start: number; end: number }): ReadStream;
}

/**
 * Where uploaded package files live. Keys are relative, `/`-separated paths (`<packageId>/<version>/a.html`).
 * Work in progress (uploads, unpacking) happens in local folders the storage hands out; `publish` moves a
 * finished folder into place, so an S3-compatible store can replace the disk by uploading there.
 */
export interface FileStorage {
  /** A fresh, empty local folder inside the storage area for a package being unpacked. */
  createStaging(): Promise<string>;
  /** A fresh local file path for an upload in progress (the caller removes it with `discard`). */
  uploadPath(): Promise<string>;
  /** Removes a staging folder or upload file handed out above; never throws for a missing one. */
  discard(localPath: string): Promise<void>;
  /** Moves a finished staging folder to `key`; fails when something is already stored there. */
  publish(stagingDir: string, key: string): Promise<void>;
  /** A stored regular file, or null (missing, a folder, or anything but a plain file). */
  open(key: string): Promise<StoredFile | null>;
  /** Whether anything is stored at or under `key`. */
  exists(key: string): Promise<boolean>;
  /** Removes `key` and everything under it. */
  remove(key: string): Promise<void>;
}

const STAGING = '.staging';
const UPLOADS = '.uploads';

/** Refuses keys that could leave the storage area: absolute, `..`, backslashes, control characters. */
export function isSafeKey(key: string): boolean {
  if (!key || key.startsWith('/') || key.includes('\\') || /^[a-zA-Z]:/.test(key)) return false;
  // eslint-disable-next-line no-control-regex -- control characters are what we refuse
  if (/[\u0000-\u001f]/.test(key)) return false;
  return key
    .split('/')
    .every((s) => s !== '..' && s !== '.' && !s.startsWith('.staging') && !s.startsWith('.uploads'));
}

/** Files on the local disk under `root` (CONTENT_DIR). */
export function diskStorage(root: string): FileStorage {
  const base = path.resolve(root);
  const resolveKey = (key: string) => {
    const clean = key.replace(/\/+$/, '');
    if (!isSafeKey(clean)) throw new Error(`unsafe storage key: ${JSON.stringify(key)}`);
    const full = path.resolve(base, clean);
    if (!full.startsWith(base + path.sep)) throw new Error(`storage key outside the storage: ${key}`);
    return full;
  };
  const isWorkPath = (p: string) => {
    const full = path.resolve(p);
    return [STAGING, UPLOADS].some((d) => full.startsWith(path.join(base, d) + path.sep));
  };
  const fresh = () => `${Date.now().toString(36)}-${randomBytes(8).toString('hex')}`;

  return {
    async createStaging() {
      const dir = path.join(base, STAGING, fresh());
      await fs.mkdir(dir, { recursive: true, mode: 0o750 });
      return dir;
    },
    async uploadPath() {
      await fs.mkdir(path.join(base, UPLOADS), { recursive: true, mode: 0o750 });
      return path.join(base, UPLOADS, `${fresh()}.upload`);
    },
    async discard(localPath) {
      if (!isWorkPath(localPath)) throw new Error(`not a work path of this storage: ${localPath}`);
      await fs.rm(localPath, { recursive: true, force: true });
    },
    async publish(stagingDir, key) {
      if (!isWorkPath(stagingDir)) throw new Error(`not a staging folder of this storage: ${stagingDir}`);
      const target = resolveKey(key);
      await fs.mkdir(path.dirname(target), { recursive: true, mode: 0o750 });
      // rename() would replace an empty folder silently; refuse anything already there.
      if (
        await fs.lstat(target).then(
          () => true,
          () => false,
        )
      )
        throw new Error(`already stored: ${key}`);
      await fs.rename(stagingDir, target);
    },
    async open(key) {
      let full: string;
      try {
        full = resolveKey(key);
      } catch {
        return null;
      }
      // lstat and O_NOFOLLOW: a link is never followed out of the storage (extraction never makes one).
      const stat = await fs.lstat(full).catch(() => null);
      if (!stat?.isFile()) return null;
      return {
        size: stat.size,
        modified: stat.mtime,
        stream: (range) =>
          createReadStream('', { fd: openSync(full, constants.O_RDONLY | constants.O_NOFOLLOW), ...range }),
      };
    },
    async exists(key) {
      return fs.lstat(resolveKey(key)).then(
        () => true,
        () => false,
      );
    },
    async remove(key) {
      await fs.rm(resolveKey(key), { recursive: true, force: true });
    },
  };
}
