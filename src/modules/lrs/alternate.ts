import { IncomingMessage } from 'node:http';
import type { Request, RequestHandler, Router } from 'express';
import { AppError, BadRequest } from '../../platform/errors.js';
import { VERSION_HEADER, parseVersion } from './version.js';

/** Form fields the 1.0.3 alternate syntax treats as headers (Communication 1.0.3 §1.3). */
const HEADER_FIELDS = new Set([
  'authorization',
  'x-experience-api-version',
  'content-type',
  'content-length',
  'if-match',
  'if-none-match',
]);
const METHODS = new Set(['GET', 'HEAD', 'PUT', 'POST', 'DELETE']);
const FORM_LIMIT = 4 * 1024 * 1024;

async function readForm(req: Request): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > FORM_LIMIT) throw new AppError(413, 'lrs:alternate.tooLarge');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/**
 * The request the form describes, as if it had come with that method, headers, query and body:
 * handlers downstream (the statements resource included) read it like any other request.
 */
function rewrite(req: Request, method: string, form: URLSearchParams): Request {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (['content-type', 'content-length', 'transfer-encoding'].includes(name)) continue;
    if (typeof value === 'string') headers[name] = value;
    else if (Array.isArray(value)) headers[name] = value.join(', ');
  }
  const query = new URLSearchParams();
  let content: Buffer | undefined;
  for (const [name, value] of form) {
    const lower = name.toLowerCase();
    if (lower === 'content') content = Buffer.from(value, 'utf8');
    else if (HEADER_FIELDS.has(lower)) headers[lower] = value;
    else query.append(name, value);
  }
  delete headers['content-length'];
  if (content) {
    headers['content-type'] ??= 'application/json';
    headers['content-length'] = String(content.length);
  } else {
    delete headers['content-type'];
  }

  const fake = new IncomingMessage(req.socket) as Request;
  Object.setPrototypeOf(fake, Object.getPrototypeOf(req) as object);
  const qs = query.toString();
  fake.method = method;
  fake.url = req.path + (qs ? `?${qs}` : '');
  fake.headers = headers;
  fake.rawHeaders = Object.entries(headers).flat();
  fake.httpVersionMajor = req.httpVersionMajor;
  fake.httpVersionMinor = req.httpVersionMinor;
  fake.httpVersion = req.httpVersion;
  Object.assign(fake, {
    app: req.app,
    res: req.res,
    id: req.id,
    log: (req as { log?: unknown }).log,
    baseUrl: req.baseUrl,
    originalUrl: req.baseUrl + fake.url,
    lang: req.lang,
    t: req.t,
  });
  if (content) fake.push(content);
  fake.push(null);
  // Without this, destroying the finished stream would count as an abort and close the client's socket.
  fake.complete = true;
  return fake;
}

/**
 * 1.0.3's alternate request syntax: a form POST with the real method in `?method=`, headers and
 * parameters as form fields and the body in `content`. xAPI 2.0 removed it: refused there.
 */
export function alternateSyntax(inner: Router): RequestHandler {
  return async (req, res, next) => {
    const raw = typeof req.query.method === 'string' || Array.isArray(req.query.method);
    if (!raw) return next();
    if (req.method !== 'POST') throw new BadRequest('lrs:alternate.notPost', { method: req.method });
    const method = String(req.query.method).toUpperCase();
    if (!METHODS.has(method)) throw new BadRequest('lrs:alternate.badMethod', { method: req.query.method });
    const extra = Object.keys(req.query).filter((k) => k !== 'method');
    if (extra.length) throw new BadRequest('lrs:alternate.extraQuery', { params: extra.join(', ') });
    if (!req.is('application/x-www-form-urlencoded')) throw new BadRequest('lrs:alternate.notForm');
    if (parseVersion(req.get(VERSION_HEADER)) === '2.0.0') throw new BadRequest('lrs:alternate.removed');
    const form = await readForm(req);
    const formVersion = [...form].find(([k]) => k.toLowerCase() === 'x-experience-api-version')?.[1];
    if (parseVersion(formVersion) === '2.0.0') throw new BadRequest('lrs:alternate.removed');
    if ((method === 'PUT' || method === 'POST') && !form.has('content')) {
      throw new BadRequest('lrs:alternate.noContent', { method });
    }
    const fake = rewrite(req, method, form);
    res.req = fake;
    res.locals.alternateSyntax = true;
    inner(fake, res, next);
  };
}
