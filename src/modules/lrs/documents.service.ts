import { createHash } from 'node:crypto';
import type { Db } from '../../platform/db.js';
import { AppError, BadRequest, Conflict } from '../../platform/errors.js';
import * as repo from './documents.repo.js';

export interface Preconditions {
  ifMatch?: string;
  ifNoneMatch?: string;
}

export interface IncomingDocument {
  content: Buffer;
  contentType: string;
}

export interface StoredDocument {
  content: Buffer;
  contentType: string;
  etag: string;
  updated: Date;
}

export const sha1 = (b: Buffer | string) => createHash('sha1').update(b).digest('hex');

const isJsonType = (contentType: string) =>
  contentType.split(';')[0]!.trim().toLowerCase() === 'application/json';

/** The JSON object a document holds, or null when it is not one (for POST merges). */
function jsonObject(content: Buffer, contentType: string): Record<string, unknown> | null {
  if (!isJsonType(contentType)) return null;
  try {
    const v: unknown = JSON.parse(content.toString('utf8'));
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Entity tags of an If-Match / If-None-Match header: '*' or the list, without quotes or W/. */
function entityTags(header: string): '*' | string[] {
  if (header.trim() === '*') return '*';
  return header
    .split(',')
    .map((t) =>
      t
        .trim()
        .replace(/^W\//, '')
        .replace(/^"(.*)"$/, '$1'),
    )
    .filter(Boolean);
}

class PreconditionFailed extends AppError {
  constructor(messageKey: string, params: Record<string, unknown> = {}) {
    super(412, messageKey, params);
  }
}

/** RFC 7232 If-Match / If-None-Match against the current document (or none). */
function checkPreconditions(current: repo.DocumentRow | undefined, p: Preconditions): void {
  if (p.ifMatch !== undefined) {
    const tags = entityTags(p.ifMatch);
    if (!current) throw new PreconditionFailed('lrs:documents.ifMatchNone');
    if (tags !== '*' && !tags.includes(current.etag)) {
      throw new PreconditionFailed('lrs:documents.ifMatchDiffers', { etag: current.etag });
    }
  }
  if (p.ifNoneMatch !== undefined && current) {
    const tags = entityTags(p.ifNoneMatch);
    if (tags === '*') throw new PreconditionFailed('lrs:documents.ifNoneMatchExists');
    if (tags.includes(current.etag)) throw new PreconditionFailed('lrs:documents.ifNoneMatchSame');
  }
}

const toContent = (d: IncomingDocument): repo.DocumentContent => ({
  content: d.content,
  contentType: d.contentType,
  etag: sha1(d.content),
});

export async function getDocument(db: Db, a: repo.DocumentAddress): Promise<StoredDocument | null> {
  const row = await repo.findDocument(db, a);
  if (!row) return null;
  return {
    content: Buffer.from(row.content),
    contentType: row.content_type,
    etag: row.etag,
    updated: new Date(row.updated_at),
  };
}

export const listDocumentIds = repo.listDocumentIds;

/**
 * How a PUT without If-Match / If-None-Match is taken: profiles always need one (409 when the document
 * exists, 400 when not: the client MUST send one); State under 2.0 only to replace; State under 1.0.3 never.
 */
export type PreconditionRule = 'always' | 'toReplace' | 'never';

/** PUT: stores or replaces the document (Communication §3.1 for preconditions). */
export async function putDocument(
  db: Db,
  a: repo.DocumentAddress,
  doc: IncomingDocument,
  p: Preconditions,
  rule: PreconditionRule,
): Promise<string> {
  const content = toContent(doc);
  const unconditional = p.ifMatch === undefined && p.ifNoneMatch === undefined;
  const requireToReplace = unconditional && rule !== 'never';
  await db.transaction(async (trx) => {
    const current = await repo.findDocumentForUpdate(trx, a);
    checkPreconditions(current, p);
    if (current && requireToReplace) throw new Conflict('lrs:documents.putExists');
    if (!current && unconditional && rule === 'always')
      throw new BadRequest('lrs:documents.putNeedsPrecondition');
    if (current) return repo.upsertDocument(trx, a, content);
    if (await repo.insertDocumentIfAbsent(trx, a, content)) return;
    // Another request created it since we looked: it exists now.
    if (p.ifNoneMatch !== undefined) throw new PreconditionFailed('lrs:documents.ifNoneMatchExists');
    if (p.ifMatch !== undefined) throw new PreconditionFailed('lrs:documents.ifMatchNone');
    if (requireToReplace) throw new Conflict('lrs:documents.putExists');
    await repo.upsertDocument(trx, a, content);
  });
  return content.etag;
}

/** POST: stores a new JSON object, or merges its top-level properties into the existing one. */
export async function postDocument(
  db: Db,
  a: repo.DocumentAddress,
  doc: IncomingDocument,
  p: Preconditions,
): Promise<string> {
  const posted = jsonObject(doc.content, doc.contentType);
  if (!posted) {
    throw new BadRequest(
      isJsonType(doc.contentType) ? 'lrs:documents.postNotObject' : 'lrs:documents.postNotJson',
      {
        contentType: doc.contentType,
      },
    );
  }
  return db.transaction(async (trx) => {
    for (let attempt = 0; attempt < 2; attempt++) {
      const current = await repo.findDocumentForUpdate(trx, a);
      checkPreconditions(current, p);
      if (!current) {
        const content = toContent(doc);
        if (await repo.insertDocumentIfAbsent(trx, a, content)) return content.etag;
        continue; // created meanwhile: merge into it
      }
      const existing = jsonObject(Buffer.from(current.content), current.content_type);
      if (!existing)
        throw new BadRequest('lrs:documents.mergeExistingNotJson', { contentType: current.content_type });
      const merged = Buffer.from(JSON.stringify({ ...existing, ...posted }), 'utf8');
      const content = toContent({ content: merged, contentType: 'application/json' });
      await repo.upsertDocument(trx, a, content);
      return content.etag;
    }
    throw new Conflict('lrs:documents.busy');
  });
}

/** DELETE one document; If-Match, when given, must match (412 otherwise). Absent documents: nothing to do. */
export async function deleteDocument(db: Db, a: repo.DocumentAddress, p: Preconditions): Promise<void> {
  await db.transaction(async (trx) => {
    const current = await repo.findDocumentForUpdate(trx, a);
    checkPreconditions(current, p);
    if (current) await repo.deleteDocumentById(trx, current.id);
  });
}

export const deleteDocuments = (db: Db, s: repo.DocumentScope) => repo.deleteDocuments(db, s);
