import { Router } from 'express';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { namesOf } from './agents.repo.js';
import { hasScope, lrsAuthOf } from './auth.js';
import { agentParam, checkParams } from './documents.schemas.js';
import { MethodNotAllowed } from './http.js';
import { sameAgent } from './ifi.js';
import type { Agent } from './lrs.types.js';

/** The Person object: each property an array; we know one identifier per person, and every name seen. */
export function personOf(agent: Agent, names: string[]): Record<string, unknown> {
  const allNames = [...new Set([...(agent.name ? [agent.name] : []), ...names])];
  return {
    objectType: 'Person',
    ...(allNames.length ? { name: allNames } : {}),
    ...(agent.mbox ? { mbox: [agent.mbox] } : {}),
    ...(agent.mbox_sha1sum ? { mbox_sha1sum: [agent.mbox_sha1sum] } : {}),
    ...(agent.openid ? { openid: [agent.openid] } : {}),
    ...(agent.account ? { account: [agent.account] } : {}),
  };
}

/** GET /xapi/agents?agent=: needs statements/read (or a launch credential asking about its own learner). */
export function agentsRoutes(ctx: AppContext): Router {
  const r = Router();
  r.get('/', async (req, res) => {
    const q = req.query as Record<string, unknown>;
    checkParams(q, ['agent']);
    const { agent } = agentParam(q);
    const auth = lrsAuthOf(res);
    const own = auth.launch && sameAgent(auth.launch.actor, agent as Agent);
    if (!own && (auth.launch || !hasScope(auth, 'statements/read'))) {
      throw new AppError(403, 'lrs:auth.scope', { scope: 'statements/read' });
    }
    res.json(personOf(agent as Agent, await namesOf(ctx.db, agent as Agent)));
  });
  r.all('/', (req) => {
    throw new MethodNotAllowed(req.method, 'GET, HEAD');
  });
  return r;
}
