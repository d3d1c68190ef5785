import type { Db, Trx } from '../../platform/db.js';

export type DocumentKind = 'state' | 'activity_profile' | 'agent_profile';

/** Where a set of documents lives: a kind and its context ('' where the kind has no such part). */
export interface DocumentScope {
  kind: DocumentKind;
  activityId: string;
  agentKey: string;
  /** Undefined: every registration (State listing and deletion without a registration). */
  registration?: string;
}

/** One document: its scope, an exact registration ('' for none) and its id. */
export interface DocumentAddress extends DocumentScope {
  registration: string;
  docId: string;
}

export interface DocumentRow {
  id: number;
  doc_id: string;
  content: Uint8Array;
  content_type: string;
  etag: string;
  updated_at: Date;
}

export interface DocumentContent {
  content: Buffer;
  contentType: string;
  etag: string;
}

const TABLE = 'lrs_documents';

const scoped = (db: Db | Trx, s: DocumentScope) => {
  const q = db(TABLE).where({ kind: s.kind, activity_id: s.activityId, agent_key: s.agentKey });
  if (s.registration !== undefined) q.andWhere('registration', s.registration);
  return q;
};

const addressed = (db: Db | Trx, a: DocumentAddress) => scoped(db, a).andWhere('doc_id', a.docId);

export const findDocument = (db: Db | Trx, a: DocumentAddress): Promise<DocumentRow | undefined> =>
  addressed(db, a).first('id', 'doc_id', 'content', 'content_type', 'etag', 'updated_at');

/** The same, locked until the transaction ends, so that a precondition holds while we write. */
export const findDocumentForUpdate = (trx: Trx, a: DocumentAddress): Promise<DocumentRow | undefined> =>
  addressed(trx, a).forUpdate().first('id', 'doc_id', 'content', 'content_type', 'etag', 'updated_at');

export async function listDocumentIds(
  db: Db,
  s: DocumentScope,
  since?: Date,
): Promise<{ ids: string[]; lastModified: Date | null }> {
  const q = scoped(db, s).select('doc_id', 'updated_at').orderBy('doc_id');
  if (since) q.andWhere('updated_at', '>', since);
  const rows = (await q) as { doc_id: string; updated_at: Date }[];
  const ids = [...new Set(rows.map((r) => r.doc_id))];
  const lastModified = rows.reduce<Date | null>(
    (max, r) => (!max || new Date(r.updated_at) > max ? new Date(r.updated_at) : max),
    null,
  );
  return { ids, lastModified };
}

/** Inserts, or replaces the document at that address. */
export async function upsertDocument(db: Db | Trx, a: DocumentAddress, c: DocumentContent): Promise<void> {
  await db(TABLE)
    .insert({
      kind: a.kind,
      activity_id: a.activityId,
      agent_key: a.agentKey,
      registration: a.registration,
      doc_id: a.docId,
      content: c.content,
      content_type: c.contentType,
      etag: c.etag,
    })
    .onConflict(['kind', 'activity_id', 'agent_key', 'registration', 'doc_id'])
    .merge({ content: c.content, content_type: c.contentType, etag: c.etag, updated_at: db.fn.now() });
}

/** Inserts only if nothing is there yet; false when a document already was (If-None-Match: *). */
export async function insertDocumentIfAbsent(
  db: Db | Trx,
  a: DocumentAddress,
  c: DocumentContent,
): Promise<boolean> {
  const rows = (await db(TABLE)
    .insert({
      kind: a.kind,
      activity_id: a.activityId,
      agent_key: a.agentKey,
      registration: a.registration,
      doc_id: a.docId,
      content: c.content,
      content_type: c.contentType,
      etag: c.etag,
    })
    .onConflict(['kind', 'activity_id', 'agent_key', 'registration', 'doc_id'])
    .ignore()
    .returning('id')) as unknown[];
  return rows.length > 0;
}

export const deleteDocumentById = (db: Db | Trx, id: number) => db(TABLE).where({ id }).delete();

export const deleteDocuments = (db: Db | Trx, s: DocumentScope) => scoped(db, s).delete();
