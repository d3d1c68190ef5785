import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import busboy from 'busboy';
import type { RequestHandler } from 'express';

/** A file received by a multipart form, in a temporary file until the service keeps or drops it. */
export interface Upload {
  tmpPath: string;
  originalName: string;
  size: number;
  truncated: boolean;
}

declare module 'express-serve-static-core' {
  interface Request {
    upload?: Upload;
  }
}

export const MAX_UPLOAD_BYTES = 200 * 1024 * 1024;

/**
 * Parses multipart forms of signed-in users into `req.body` and `req.upload` (one file), before the
 * CSRF check so that it can read `_csrf` from the form. Mounted on /authoring only.
 */
export function authoringUploads(): RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'POST' || !req.is('multipart/form-data') || !req.user) return next();
    let bb: busboy.Busboy;
    try {
      bb = busboy({
        headers: req.headers,
        limits: { files: 1, fileSize: MAX_UPLOAD_BYTES, fields: 40, fieldSize: 20_000, parts: 50 },
      });
    } catch {
      return next();
    }
    const body: Record<string, string> = {};
    let pending: Promise<void> = Promise.resolve();
    const cleanup = () => {
      if (req.upload) fs.rm(req.upload.tmpPath, { force: true }, () => undefined);
    };
    res.on('finish', cleanup);
    res.on('close', cleanup);
    bb.on('field', (name, value) => {
      if (!(name in body)) body[name] = value;
    });
    bb.on('file', (_name, stream, info) => {
      const tmpPath = path.join(os.tmpdir(), `wch-upload-${randomBytes(12).toString('hex')}`);
      const upload: Upload = { tmpPath, originalName: info.filename ?? '', size: 0, truncated: false };
      req.upload = upload;
      const out = fs.createWriteStream(tmpPath, { mode: 0o600 });
      stream.on('data', (chunk: Buffer) => (upload.size += chunk.length));
      stream.on('limit', () => (upload.truncated = true));
      pending = new Promise((resolve, reject) => {
        out.on('finish', resolve);
        out.on('error', reject);
      });
      stream.pipe(out);
    });
    bb.on('error', (err) => next(err));
    bb.on('close', () => {
      pending.then(
        () => {
          req.body = body;
          next();
        },
        (err: unknown) => next(err),
      );
    });
    req.pipe(bb);
  };
}
