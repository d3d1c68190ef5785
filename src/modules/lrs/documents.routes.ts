import express, { Router, type Request, type Response } from 'express';
import type { AppContext } from '../../platform/context.js';
import { AppError, NotFound } from '../../platform/errors.js';
import { hasScope, lrsAuthOf, mayRead } from './auth.js';
import type { DocumentAddress, DocumentKind, DocumentScope } from './documents.repo.js';
import {
  agentParam,
  checkParams,
  idParam,
  iriParam,
  registrationParam,
  sinceParam,
} from './documents.schemas.js';
import * as documents from './documents.service.js';
import { MethodNotAllowed } from './http.js';
import { sameAgent } from './ifi.js';
import type { Agent, LrsAuth, Scope } from './lrs.types.js';
import { xapiVersionOf } from './version.js';

const DOCUMENT_LIMIT = '16mb';
const readBody = express.raw({ type: () => true, limit: DOCUMENT_LIMIT });

type Query = Record<string, unknown>;

/** What each document resource takes, and how its parameters become a document address. */
interface Resource {
  kind: DocumentKind;
  name: string;
  idName: 'stateId' | 'profileId';
  scope: Scope;
  params: readonly string[];
  /** Reads the context parameters (everything but the id and `since`). */
  context(q: Query): { scope: DocumentScope; agent?: Agent };
  /** DELETE without an id deletes the whole set (State only). */
  deletesSets: boolean;
}

const STATE: Resource = {
  kind: 'state',
  name: 'State',
  idName: 'stateId',
  scope: 'state',
  params: ['activityId', 'agent', 'registration', 'stateId'],
  context(q) {
    const activityId = iriParam(q, 'activityId');
    const { agent, key } = agentParam(q);
    return {
      scope: { kind: 'state', activityId, agentKey: key, registration: registrationParam(q) },
      agent: agent as Agent,
    };
  },
  deletesSets: true,
};

const ACTIVITY_PROFILE: Resource = {
  kind: 'activity_profile',
  name: 'Activity Profile',
  idName: 'profileId',
  scope: 'profile',
  params: ['activityId', 'profileId'],
  context: (q) => ({
    scope: { kind: 'activity_profile', activityId: iriParam(q, 'activityId'), agentKey: '' },
  }),
  deletesSets: false,
};

const AGENT_PROFILE: Resource = {
  kind: 'agent_profile',
  name: 'Agent Profile',
  idName: 'profileId',
  scope: 'profile',
  params: ['agent', 'profileId'],
  context(q) {
    const { agent, key } = agentParam(q);
    return { scope: { kind: 'agent_profile', activityId: '', agentKey: key }, agent: agent as Agent };
  },
  deletesSets: false,
};

const forbidden = (key: string, params: Record<string, unknown> = {}) => new AppError(403, key, params);

/** Scopes, and the limits of launch credentials: their own agent's State, reading profiles only. */
function authorize(auth: LrsAuth, r: Resource, write: boolean, agent: Agent | undefined): void {
  const allowed = write ? hasScope(auth, r.scope) : mayRead(auth, r.scope);
  if (!allowed) throw forbidden('lrs:auth.scope', { scope: r.scope });
  if (!auth.launch) return;
  if (write && r.kind !== 'state') throw forbidden('lrs:auth.launchWrite', { resource: r.name });
  if (agent && !sameAgent(agent, auth.launch.actor)) throw forbidden('lrs:auth.launchAgent');
}

const preconditions = (req: Request): documents.Preconditions => ({
  ifMatch: req.get('If-Match'),
  ifNoneMatch: req.get('If-None-Match'),
});

const incoming = (req: Request): documents.IncomingDocument => ({
  content: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
  contentType: req.get('Content-Type') ?? 'application/octet-stream',
});

function documentRouter(ctx: AppContext, r: Resource): Router {
  const router = Router();
  const { db } = ctx;

  /** Checks the parameters of this method and returns the context, the document id (if any) and `since`. */
  const parse = (
    req: Request,
    res: Response,
    opts: { write: boolean; idRequired: boolean; since: boolean },
  ) => {
    const q = req.query as Query;
    checkParams(q, opts.since ? [...r.params, 'since'] : r.params);
    const { scope, agent } = r.context(q);
    const id = opts.idRequired || q[r.idName] !== undefined ? idParam(q, r.idName) : undefined;
    authorize(lrsAuthOf(res), r, opts.write, agent);
    return { scope, id, since: opts.since ? sinceParam(q) : undefined };
  };
  const address = (scope: DocumentScope, docId: string): DocumentAddress => ({
    ...scope,
    registration: scope.registration ?? '',
    docId,
  });

  router.get('/', async (req, res) => {
    const { scope, id, since } = parse(req, res, { write: false, idRequired: false, since: true });
    if (id === undefined) {
      const { ids, lastModified } = await documents.listDocumentIds(db, scope, since);
      if (lastModified) res.setHeader('Last-Modified', lastModified.toUTCString());
      const body = Buffer.from(JSON.stringify(ids), 'utf8');
      res.setHeader('ETag', `"${documents.sha1(body)}"`);
      res.type('application/json').send(body);
      return;
    }
    const doc = await documents.getDocument(db, address(scope, id));
    if (!doc) throw new AppError(404, 'lrs:documents.notFound', { resource: r.name, id });
    res.setHeader('ETag', `"${doc.etag}"`);
    res.setHeader('Last-Modified', doc.updated.toUTCString());
    res.setHeader('Content-Type', doc.contentType);
    res.send(doc.content);
  });

  router.put('/', readBody, async (req, res) => {
    const { scope, id } = parse(req, res, { write: true, idRequired: true, since: false });
    // Profiles always need a precondition; State under 2.0 to replace, under 1.0.3 never.
    const rule = r.kind !== 'state' ? 'always' : xapiVersionOf(res) === '2.0.0' ? 'toReplace' : 'never';
    const etag = await documents.putDocument(
      db,
      address(scope, id!),
      incoming(req),
      preconditions(req),
      rule,
    );
    res.setHeader('ETag', `"${etag}"`);
    res.status(204).end();
  });

  router.post('/', readBody, async (req, res) => {
    const { scope, id } = parse(req, res, { write: true, idRequired: true, since: false });
    const etag = await documents.postDocument(db, address(scope, id!), incoming(req), preconditions(req));
    res.setHeader('ETag', `"${etag}"`);
    res.status(204).end();
  });

  router.delete('/', async (req, res) => {
    const { scope, id } = parse(req, res, { write: true, idRequired: !r.deletesSets, since: false });
    if (id === undefined) await documents.deleteDocuments(db, scope);
    else await documents.deleteDocument(db, address(scope, id), preconditions(req));
    res.status(204).end();
  });

  router.all('/', (req) => {
    throw new MethodNotAllowed(req.method, 'GET, HEAD, PUT, POST, DELETE');
  });
  router.use((req) => {
    throw new NotFound(`${r.name} resource ${req.path}`);
  });
  return router;
}

export const stateRoutes = (ctx: AppContext): Router => documentRouter(ctx, STATE);
export const activityProfileRoutes = (ctx: AppContext): Router => documentRouter(ctx, ACTIVITY_PROFILE);
export const agentProfileRoutes = (ctx: AppContext): Router => documentRouter(ctx, AGENT_PROFILE);
