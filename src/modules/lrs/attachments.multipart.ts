import { createHash, randomBytes } from 'node:crypto';

/** One part of a multipart/mixed body (RFC 2046). */
export interface Part {
  headers: Record<string, string>;
  body: Buffer;
}

export class MultipartError extends Error {}

/** The boundary parameter of a multipart Content-Type, or null. */
export function boundaryOf(contentType: string): string | null {
  const m = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m ? (m[1] ?? m[2] ?? null) : null;
}

/** Splits a multipart/mixed body into parts; their bodies stay binary. */
export function parseMultipart(body: Buffer, boundary: string): Part[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Part[] = [];
  let pos = body.indexOf(delimiter);
  if (pos < 0) throw new MultipartError('the body has no part delimited by the boundary');
  for (;;) {
    pos += delimiter.length;
    if (body.subarray(pos, pos + 2).toString() === '--') break; // closing delimiter
    const next = body.indexOf(delimiter, pos);
    if (next < 0) throw new MultipartError('the body has no closing boundary delimiter');
    let chunk = body.subarray(pos, next);
    // the CRLF after the delimiter line, and the CRLF that belongs to the next delimiter
    if (chunk.subarray(0, 2).toString() === '\r\n') chunk = chunk.subarray(2);
    else if (chunk[0] === 0x0a) chunk = chunk.subarray(1);
    if (chunk.subarray(-2).toString() === '\r\n') chunk = chunk.subarray(0, -2);
    else if (chunk[chunk.length - 1] === 0x0a) chunk = chunk.subarray(0, -1);
    let sep = chunk.indexOf('\r\n\r\n');
    let sepLen = 4;
    if (sep < 0) {
      sep = chunk.indexOf('\n\n');
      sepLen = 2;
    }
    const head = sep < 0 ? chunk.toString('utf8') : chunk.subarray(0, sep).toString('utf8');
    const headers: Record<string, string> = {};
    for (const line of head.split(/\r?\n/)) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    parts.push({ headers, body: sep < 0 ? Buffer.alloc(0) : chunk.subarray(sep + sepLen) });
    pos = next;
  }
  return parts;
}

const ALGORITHMS: Record<number, string> = { 56: 'sha224', 64: 'sha256', 96: 'sha384', 128: 'sha512' };

/** The SHA-2 of data in the length of the given hex hash (224, 256, 384 or 512 bits), or null. */
export function sha2Like(hash: string, data: Buffer): string | null {
  const alg = ALGORITHMS[hash.length];
  return alg ? createHash(alg).update(data).digest('hex') : null;
}

/** A multipart/mixed body: the JSON first, then each attachment with its hash header. */
export function buildMultipart(
  json: string,
  attachments: { sha2: string; contentType: string; data: Buffer }[],
): { contentType: string; body: Buffer } {
  const boundary = `xapi-${randomBytes(12).toString('hex')}`;
  const chunks: Buffer[] = [
    Buffer.from(`--${boundary}\r\nContent-Type: application/json\r\n\r\n${json}\r\n`),
  ];
  for (const a of attachments) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Type: ${a.contentType}\r\nContent-Transfer-Encoding: binary\r\nX-Experience-API-Hash: ${a.sha2}\r\n\r\n`,
      ),
      a.data,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { contentType: `multipart/mixed; boundary=${boundary}`, body: Buffer.concat(chunks) };
}
