import { createHash, randomUUID } from 'node:crypto';

export const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** A multipart/mixed body: the statements first, then each attachment part. */
export function multipart(
  json: unknown,
  parts: { data: Buffer | string; type?: string; hash?: string; encoding?: string | null }[],
) {
  const boundary = `b-${randomUUID()}`;
  const chunks: Buffer[] = [
    Buffer.from(`--${boundary}\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(json)}\r\n`),
  ];
  for (const p of parts) {
    const head = [`Content-Type: ${p.type ?? 'text/plain'}`];
    if (p.encoding !== null) head.push(`Content-Transfer-Encoding: ${p.encoding ?? 'binary'}`);
    if (p.hash !== '') head.push(`X-Experience-API-Hash: ${p.hash ?? sha256(p.data)}`);
    chunks.push(
      Buffer.from(`--${boundary}\r\n${head.join('\r\n')}\r\n\r\n`),
      Buffer.from(p.data),
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { type: `multipart/mixed; boundary=${boundary}`, body: Buffer.concat(chunks) };
}

export const attachmentMeta = (data: Buffer | string, o: Record<string, unknown> = {}) => ({
  usageType: 'http://example.org/attachment-usage/report',
  display: { 'en-US': 'report' },
  contentType: 'text/plain',
  length: Buffer.byteLength(data),
  sha2: sha256(data),
  ...o,
});
