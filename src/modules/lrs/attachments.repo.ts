import type { Knex } from 'knex';
import type { Db } from '../../platform/db.js';

export interface AttachmentData {
  contentType: string;
  data: Buffer;
}

/** Stores attachment data once per hash; the same data sent again changes nothing. */
export async function insertAttachments(
  db: Db | Knex.Transaction,
  parts: Map<string, AttachmentData>,
): Promise<void> {
  const rows = [...parts].map(([sha2, p]) => ({
    sha2: sha2.toLowerCase(),
    content_type: p.contentType,
    length: p.data.length,
    content: p.data,
  }));
  if (rows.length) await db('lrs_attachments').insert(rows).onConflict('sha2').ignore();
}

export async function findAttachments(db: Db, hashes: string[]): Promise<Map<string, AttachmentData>> {
  if (!hashes.length) return new Map();
  const rows = (await db('lrs_attachments')
    .whereIn(
      'sha2',
      hashes.map((h) => h.toLowerCase()),
    )
    .select('sha2', 'content_type', 'content')) as {
    sha2: string;
    content_type: string;
    content: Buffer | Uint8Array;
  }[];
  return new Map(rows.map((r) => [r.sha2, { contentType: r.content_type, data: Buffer.from(r.content) }]));
}
