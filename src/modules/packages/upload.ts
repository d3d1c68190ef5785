import fs from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request } from 'express';
import busboy from 'busboy';
import { AppError, BadRequest } from '../../platform/errors.js';
import type { FileStorage } from '../../platform/storage.js';

export interface ReceivedUpload {
  /** The temp file (inside the storage's upload area); the caller discards it on every path. */
  path: string;
  fileName: string;
  size: number;
}

/** A file over MAX_PACKAGE_BYTES. */
export class PackageTooLarge extends AppError {
  constructor(maxBytes: number) {
    super(413, 'packages:errors.tooLarge', { max: `${Math.floor(maxBytes / 1024 ** 2)} MiB` });
  }
}

// After a file passes the limit we read on (and throw away) at most this much, so the browser gets our
// 413 page instead of a reset connection; a larger rest closes the connection.
const DRAIN_CAP = 64 * 1024 * 1024;
const FIELD = 'package';

const baseName = (name: string) =>
  (name.split(/[\\/]/).pop() ?? '').replace(/[\u0000-\u001f]/g, '').slice(0, 200) || 'package.zip'; // eslint-disable-line no-control-regex -- stripped

/**
 * Streams the one file of a multipart upload (field `package`) to a temp file: memory stays flat, the
 * size cap holds while streaming (413), and the temp file is removed on every error.
 */
export async function receivePackageUpload(
  req: Request,
  storage: FileStorage,
  maxBytes: number,
): Promise<ReceivedUpload> {
  if (!req.is('multipart/form-data')) throw new BadRequest('packages:errors.noFile');
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes + 1024 * 1024) {
    // Known too large before a byte is read: answer now and close the connection instead of reading it all.
    req.res?.setHeader('Connection', 'close');
    req.resume();
    throw new PackageTooLarge(maxBytes);
  }
  const target = await storage.uploadPath();
  let bb: busboy.Busboy;
  try {
    bb = busboy({
      headers: req.headers,
      limits: { files: 1, fileSize: maxBytes, fields: 20, fieldSize: 8 * 1024, parts: 25 },
    });
  } catch {
    throw new BadRequest('packages:errors.noFile');
  }
  let tooLarge = false;
  let received: ReceivedUpload | null = null;
  const writes: Promise<void>[] = [];
  const current: { stream: Readable | null } = { stream: null };
  bb.on('file', (name, stream, info) => {
    if (name !== FIELD || received) {
      stream.resume();
      return;
    }
    const upload: ReceivedUpload = { path: target, fileName: baseName(info.filename ?? ''), size: 0 };
    received = upload;
    current.stream = stream;
    stream.on('data', (chunk: Buffer) => (upload.size += chunk.length));
    stream.on('limit', () => {
      tooLarge = true;
    });
    writes.push(pipeline(stream, fs.createWriteStream(target, { flags: 'wx', mode: 0o640 })));
  });
  try {
    await new Promise<void>((resolve, reject) => {
      bb.once('close', resolve);
      bb.once('error', reject);
      req.once('aborted', () => reject(new BadRequest('packages:errors.aborted')));
      let total = 0;
      req.on('data', (chunk: Buffer) => {
        total += chunk.length;
        if (total > maxBytes + DRAIN_CAP) {
          req.unpipe(bb);
          req.res?.setHeader('Connection', 'close');
          req.resume();
          reject(new PackageTooLarge(maxBytes));
        }
      });
      req.pipe(bb);
    });
    await Promise.all(writes);
    if (tooLarge) throw new PackageTooLarge(maxBytes);
    const upload = received as ReceivedUpload | null;
    if (!upload || upload.size === 0) throw new BadRequest('packages:errors.noFile');
    return upload;
  } catch (err) {
    req.unpipe(bb);
    current.stream?.destroy(new Error('upload ended'));
    await Promise.allSettled(writes);
    await storage.discard(target);
    if (err instanceof AppError) throw err;
    throw new BadRequest('packages:errors.noFile');
  }
}
