import type { IncomingMessage, ServerResponse } from 'node:http';
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../../platform/context.js';
import { BadRequest, NotFound } from '../../platform/errors.js';
import { findAttachments } from './attachments.repo.js';
import { buildMultipart } from './attachments.multipart.js';
import { hasScope, lrsAuthOf } from './auth.js';
import { startForwarding } from './forwarding.js';
import { MethodNotAllowed, forbidden, sendJson } from './http.js';
import { ifiKey } from './ifi.js';
import type { LrsAuth, XapiVersion } from './lrs.types.js';
import { readStatementsBody } from './statements.body.js';
import { formatStatement, parseAcceptLanguage } from './statements.format.js';
import { Kind, relatedRows, type Statement } from './statements.model.js';
import {
  decodeMore,
  encodeMore,
  parseBoolean,
  parseFormat,
  parseQuery,
  queryStatements,
  type StatementQuery,
} from './statements.query.js';
import { findOne } from './statements.repo.js';
import { setForwardFilter, storeStatements } from './statements.service.js';
import type { RateLimit } from './statements.limits.js';
import { UUID } from './statements.schemas.js';
import { xapiVersionOf } from './version.js';

type Obj = Record<string, unknown>;
const CONSISTENT = 'X-Experience-API-Consistent-Through';

function queryOf(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.query)) {
    if (typeof v !== 'string')
      throw new BadRequest('lrs-statements:badParam', { param: k, rule: 'must be given once' });
    out[k] = v;
  }
  return out;
}

/**
 * Read restrictions of the credentials: only their own statements (read/mine), or for launch
 * credentials, whatever their learner's statements (earlier launches had other credentials).
 */
function restrict(q: StatementQuery, auth: LrsAuth): StatementQuery {
  const out = { ...q, filters: [...q.filters], authorityKey: undefined as string | undefined };
  if (!hasScope(auth, 'statements/read') && !auth.launch) {
    if (!hasScope(auth, 'statements/read/mine')) throw forbidden('statements/read');
    out.authorityKey = ifiKey(auth.authority) ?? undefined;
  }
  const launchKey = auth.launch ? ifiKey(auth.launch.actor) : null;
  if (launchKey) out.filters.push([Kind.agent, launchKey]);
  return out;
}

function mayReadOne(auth: LrsAuth, row: { text: string; authority_key: string | null }): boolean {
  if (!hasScope(auth, 'statements/read') && !auth.launch) {
    if (!hasScope(auth, 'statements/read/mine')) throw forbidden('statements/read');
    if (row.authority_key !== ifiKey(auth.authority)) return false;
  }
  const launchKey = auth.launch ? ifiKey(auth.launch.actor) : null;
  return (
    !launchKey ||
    relatedRows(JSON.parse(row.text) as Statement).some(([k, id]) => k === Kind.agent && id === launchKey)
  );
}

async function send(
  ctx: AppContext,
  res: Response,
  json: string,
  statements: Statement[],
  attachments: boolean,
): Promise<void> {
  if (!attachments) {
    res.type('application/json').send(json);
    return;
  }
  const hashes = [
    ...new Set(
      statements.flatMap((s) =>
        ((s.attachments as Obj[] | undefined) ?? []).map((a) => String(a.sha2).toLowerCase()),
      ),
    ),
  ];
  const found = await findAttachments(ctx.db, hashes);
  const parts = [...found].map(([sha2, a]) => ({ sha2, ...a }));
  const multipart = buildMultipart(json, parts);
  res.type(multipart.contentType).send(multipart.body);
}

/** What the Statement Resource does first for an authenticated request, in the router and the front door. */
export function admitStatementsRequest(res: ServerResponse, auth: LrsAuth, limit: RateLimit): void {
  // Every answer, errors included, says up to when reads are complete: at once (one database).
  res.setHeader(CONSISTENT, new Date().toISOString());
  limit(auth.clientId);
}

/** POST of statements without query parameters, authenticated: stores them and answers their ids. */
export async function postStatements(
  ctx: AppContext,
  req: IncomingMessage,
  res: ServerResponse,
  auth: LrsAuth,
  version: XapiVersion,
): Promise<void> {
  if (!hasScope(auth, 'statements/write')) throw forbidden('statements/write');
  const { statements, parts } = await readStatementsBody(req);
  const ids = await storeStatements(ctx.db, statements, auth, { version, parts });
  sendJson(res, 200, JSON.stringify(ids));
}

/** The Statement Resource (Communication 2.1): PUT, POST, GET and HEAD of /xapi/statements. */
export function statementsRoutes(ctx: AppContext, limit: RateLimit): Router {
  const r = Router();
  const cfg = ctx.config;
  setForwardFilter(
    cfg.lrsForward ? { verbs: cfg.lrsForward.verbs, activityPrefix: cfg.lrsForward.activityPrefix } : null,
  );
  if (cfg.lrsForward) startForwarding(ctx);

  r.use((req, res, next) => {
    admitStatementsRequest(res, lrsAuthOf(res), limit);
    next();
  });

  r.put('/', async (req, res) => {
    const auth = lrsAuthOf(res);
    if (!hasScope(auth, 'statements/write')) throw forbidden('statements/write');
    const q = queryOf(req);
    const extra = Object.keys(q).find((k) => k !== 'statementId');
    if (extra)
      throw new BadRequest('lrs-statements:badParam', { param: extra, rule: 'is not a parameter of PUT' });
    const id = q.statementId;
    if (id === undefined) throw new BadRequest('lrs-statements:statementIdRequired');
    if (!UUID.test(id))
      throw new BadRequest('lrs-statements:badParam', { param: 'statementId', rule: 'must be a UUID' });
    const { statements, parts, single } = await readStatementsBody(req);
    if (!single) throw new BadRequest('lrs-statements:putOne');
    const s = statements[0] as Obj;
    if (s && typeof s === 'object' && s.id !== undefined && String(s.id).toLowerCase() !== id.toLowerCase())
      throw new BadRequest('lrs-statements:idMismatch', { id: String(s.id), statementId: id });
    const withId = s && typeof s === 'object' && !Array.isArray(s) ? { ...s, id } : s;
    await storeStatements(ctx.db, [withId], auth, { version: xapiVersionOf(res), parts });
    res.status(204).end();
  });

  r.post('/', async (req, res) => {
    const auth = lrsAuthOf(res);
    if (!hasScope(auth, 'statements/write')) throw forbidden('statements/write');
    const extra = Object.keys(req.query)[0];
    if (extra)
      throw new BadRequest('lrs-statements:badParam', { param: extra, rule: 'is not a parameter of POST' });
    await postStatements(ctx, req, res, auth, xapiVersionOf(res));
  });

  r.get('/', async (req, res) => {
    const auth = lrsAuthOf(res);
    const q = queryOf(req);
    const langs = parseAcceptLanguage(req.get('Accept-Language'));
    if (q.statementId !== undefined || q.voidedStatementId !== undefined) {
      const voided = q.voidedStatementId !== undefined;
      const name = voided ? 'voidedStatementId' : 'statementId';
      const other = Object.keys(q).find((k) => k !== name && k !== 'format' && k !== 'attachments');
      if (other)
        throw new BadRequest('lrs-statements:badParam', {
          param: other,
          rule: `cannot be combined with ${name}`,
        });
      const id = q[name]!;
      if (!UUID.test(id))
        throw new BadRequest('lrs-statements:badParam', { param: name, rule: 'must be a UUID' });
      const format = parseFormat(q);
      const attachments = parseBoolean(q, 'attachments');
      const row = await findOne(ctx.db, id.toLowerCase());
      if (!row || row.voided !== voided || !mayReadOne(auth, row)) throw new NotFound('statement');
      res.setHeader('Last-Modified', new Date(row.stored).toUTCString());
      if (format === 'exact' && !attachments) {
        res.type('application/json').send(row.text); // as stored, without parsing it again
        return;
      }
      const statement = JSON.parse(row.text) as Statement;
      await send(
        ctx,
        res,
        JSON.stringify(formatStatement(statement, format, langs)),
        [statement],
        attachments,
      );
      return;
    }
    let query: StatementQuery;
    let page;
    if (q.more !== undefined) {
      if (Object.keys(q).length > 1)
        throw new BadRequest('lrs-statements:badParam', { param: 'more', rule: 'must be alone' });
      const { q: saved, c } = decodeMore(q.more);
      query = saved;
      page = await queryStatements(ctx.db, restrict(saved, auth), c);
    } else {
      query = parseQuery(q);
      page = await queryStatements(ctx.db, restrict(query, auth), null);
    }
    const newest = page.rows.reduce<number>((m, x) => Math.max(m, new Date(x.stored).getTime()), 0);
    res.setHeader('Last-Modified', new Date(newest || Date.now()).toUTCString());
    const more = page.next ? `${req.baseUrl}?more=${encodeMore(query, page.next)}` : '';
    if (query.format === 'exact' && !query.attachments) {
      // the stored JSON goes out as it is: no parse and stringify of every statement
      const texts = page.rows.map((x) => x.text).join(',');
      res.type('application/json').send(`{"statements":[${texts}],"more":${JSON.stringify(more)}}`);
      return;
    }
    const statements = page.rows.map((x) => JSON.parse(x.text) as Statement);
    const format = query.format;
    const body = { statements: statements.map((s) => formatStatement(s, format, langs)), more };
    await send(ctx, res, JSON.stringify(body), statements, query.attachments);
  });

  r.all('/', (req) => {
    throw new MethodNotAllowed(req.method, 'GET, HEAD, PUT, POST');
  });
  return r;
}
