import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';

/**
 * Where authored files are kept. A small port so that the platform's storage (or an object store)
 * can replace the disk later; keys are `<authoredCourseId>/<fileId>`, made by the service only.
 */
export interface FileStore {
  put(key: string, fromPath: string): Promise<void>;
  putBuffer(key: string, data: Buffer): Promise<void>;
  open(key: string): Readable;
  read(key: string): Promise<Buffer>;
}

const KEY = /^[0-9a-f-]{36}\/[0-9a-f-]{36}$/;

/** Files under CONTENT_DIR/authoring/<courseId>/<fileId>. */
export function diskFileStore(contentDir: string): FileStore {
  const root = path.join(contentDir, 'authoring');
  const where = (key: string) => {
    if (!KEY.test(key)) throw new Error(`bad storage key ${key}`);
    return path.join(root, key);
  };
  return {
    async put(key, fromPath) {
      const to = where(key);
      await fsp.mkdir(path.dirname(to), { recursive: true });
      try {
        await fsp.rename(fromPath, to);
      } catch {
        await fsp.copyFile(fromPath, to);
        await fsp.rm(fromPath, { force: true });
      }
    },
    async putBuffer(key, data) {
      const to = where(key);
      await fsp.mkdir(path.dirname(to), { recursive: true });
      await fsp.writeFile(to, data);
    },
    open: (key) => fs.createReadStream(where(key)),
    read: (key) => fsp.readFile(where(key)),
  };
}
