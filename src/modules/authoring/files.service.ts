import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { fileTypeFromFile } from 'file-type';
import type { Db } from '../../platform/db.js';
import { ValidationFailed } from '../../platform/errors.js';
import * as repo from './authoring.repo.js';
import type { UploadKind } from './authoring.schemas.js';
import type { FileStore } from './files.storage.js';
import type { Upload } from './uploads.js';

// What each kind of block accepts, decided from the bytes (magic numbers), never from the name.
const IMAGES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];
const VIDEOS = ['video/mp4', 'video/webm', 'video/ogg', 'video/x-m4v'];
const DOCUMENTS = [
  'application/pdf',
  'application/zip',
  'application/epub+zip',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.oasis.opendocument.presentation',
  'audio/mpeg',
  'audio/ogg',
  ...IMAGES,
  ...VIDEOS,
];
const ACCEPTED: Record<UploadKind | 'cover', string[]> = {
  image: IMAGES,
  cover: IMAGES,
  video: VIDEOS,
  file: [...DOCUMENTS, 'text/plain'],
};
export const MAX_BYTES: Record<UploadKind | 'cover', number> = {
  image: 10 * 1024 * 1024,
  cover: 10 * 1024 * 1024,
  file: 50 * 1024 * 1024,
  video: 200 * 1024 * 1024,
};

/** Plain text has no magic number: valid UTF-8 without control characters other than tab and newlines. */
async function looksLikeText(file: string): Promise<boolean> {
  const handle = await fsp.open(file, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    const head = buf.subarray(0, bytesRead);
    // eslint-disable-next-line no-control-regex -- control characters are what marks binary data
    if (/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(head.toString('latin1'))) return false;
    new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, Math.max(0, bytesRead - 4)));
    return bytesRead > 0;
  } catch {
    return false;
  } finally {
    await handle.close();
  }
}

/** A file name safe anywhere: letters, digits, dot, dash, underscore; the extension from the content. */
export function safeFileName(original: string, ext: string): string {
  const base = (original.split(/[\\/]/).pop() ?? '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/\.[^.]*$/, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[.-]+|[.-]+$/g, '')
    .slice(0, 80);
  return `${base || 'file'}.${ext}`;
}

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Checks an upload by its content and keeps it in the store; a refusal names the field `file`. */
export async function storeUpload(
  db: Db,
  store: FileStore,
  o: { courseId: string; kind: UploadKind | 'cover'; upload: Upload | undefined; userId: string },
): Promise<repo.FileRow> {
  const up = o.upload;
  if (!up || up.size === 0) throw new ValidationFailed({ file: 'authoring:errors.fileRequired' });
  if (up.truncated || up.size > MAX_BYTES[o.kind])
    throw new ValidationFailed({ file: `authoring:errors.fileTooLarge.${o.kind}` });
  const detected = await fileTypeFromFile(up.tmpPath);
  let mediaType = detected?.mime as string | undefined;
  let ext = detected?.ext as string | undefined;
  if (!detected && o.kind === 'file' && (await looksLikeText(up.tmpPath))) {
    mediaType = 'text/plain';
    ext = 'txt';
  }
  if (!mediaType || !ext || !ACCEPTED[o.kind].includes(mediaType))
    throw new ValidationFailed({ file: `authoring:errors.fileType.${o.kind}` });
  const id = randomUUID();
  const storageKey = `${o.courseId}/${id}`;
  const digest = await sha256(up.tmpPath);
  await store.put(storageKey, up.tmpPath);
  return repo.insertFile(db, {
    id,
    authored_course_id: o.courseId,
    kind: o.kind,
    name: safeFileName(up.originalName, ext),
    media_type: mediaType,
    size: up.size,
    sha256: digest,
    storage_key: storageKey,
    uploaded_by: o.userId,
  });
}

/** A file made by the platform itself (demo content), stored like an upload. */
export async function storeGeneratedFile(
  db: Db,
  store: FileStore,
  o: { courseId: string; kind: string; name: string; mediaType: string; data: Buffer; userId: string },
): Promise<repo.FileRow> {
  const id = randomUUID();
  const storageKey = `${o.courseId}/${id}`;
  await store.putBuffer(storageKey, o.data);
  return repo.insertFile(db, {
    id,
    authored_course_id: o.courseId,
    kind: o.kind,
    name: o.name,
    media_type: o.mediaType,
    size: o.data.length,
    sha256: createHash('sha256').update(o.data).digest('hex'),
    storage_key: storageKey,
    uploaded_by: o.userId,
  });
}
