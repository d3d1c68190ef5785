import type { IncomingMessage } from 'node:http';
import { AppError, BadRequest } from '../../platform/errors.js';
import { boundaryOf, MultipartError, parseMultipart, sha2Like } from './attachments.multipart.js';
import type { AttachmentPart } from './statements.service.js';

// A batch of 1,000 large statements fits in 4 MB; attachments may be bigger.
export const JSON_LIMIT = 4 * 1024 * 1024;
export const MULTIPART_LIMIT = 32 * 1024 * 1024;

const tooLarge = (limit: number) =>
  new AppError(413, 'lrs-statements:tooLarge', { limit: `${limit / 1024 / 1024} MB` });

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) return Promise.reject(tooLarge(limit));
  // events rather than an async iterator: this runs for every statement request
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.resume(); // drain what is left; the answer is 413 already
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new BadRequest('lrs-statements:malformedJson', { reason: (err as Error).message });
  }
}

export interface StatementsBody {
  statements: unknown[];
  /** true when the body was one statement, not an array */
  single: boolean;
  parts?: Map<string, AttachmentPart>;
}

const multipartError = (reason: string) => new BadRequest('lrs-statements:multipart', { reason });

/**
 * The statements of a PUT or POST: application/json, or multipart/mixed with the statements first
 * and each attachment after them, checked against its X-Experience-API-Hash (Communication 1.5.2).
 */
export async function readStatementsBody(req: IncomingMessage): Promise<StatementsBody> {
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  const media = type.split(';')[0]!.trim();
  let json: unknown;
  let parts: Map<string, AttachmentPart> | undefined;
  if (media === 'application/json') {
    json = parseJson((await readBody(req, JSON_LIMIT)).toString('utf8'));
  } else if (media === 'multipart/mixed') {
    const boundary = boundaryOf(req.headers['content-type'] ?? '');
    if (!boundary) throw multipartError('the Content-Type has no boundary parameter');
    let all;
    try {
      all = parseMultipart(await readBody(req, MULTIPART_LIMIT), boundary);
    } catch (err) {
      if (err instanceof MultipartError) throw multipartError(err.message);
      throw err;
    }
    const [first, ...rest] = all;
    if (!first) throw multipartError('no part');
    if ((first.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase() !== 'application/json')
      throw multipartError('the first part must be the statements, with Content-Type application/json');
    json = parseJson(first.body.toString('utf8'));
    parts = new Map();
    for (const [i, p] of rest.entries()) {
      const hash = p.headers['x-experience-api-hash']?.toLowerCase();
      if (!hash) throw multipartError(`part ${i + 2} has no X-Experience-API-Hash header`);
      if ((p.headers['content-transfer-encoding'] ?? '').toLowerCase() !== 'binary')
        throw multipartError(`part ${i + 2} must have Content-Transfer-Encoding: binary`);
      const actual = sha2Like(hash, p.body);
      if (actual !== hash)
        throw multipartError(`part ${i + 2}: its data does not match its SHA-2 hash ${hash}`);
      parts.set(hash, { contentType: p.headers['content-type'] ?? 'application/octet-stream', data: p.body });
    }
  } else {
    throw new BadRequest('lrs-statements:contentType', { type: media || '(none)' });
  }
  const single = !Array.isArray(json);
  return { statements: single ? [json] : (json as unknown[]), single, parts };
}
