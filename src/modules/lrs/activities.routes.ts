import { Router } from 'express';
import type { AppContext } from '../../platform/context.js';
import { definitionsOf } from './activities.repo.js';
import { checkParams, iriParam } from './documents.schemas.js';
import { MethodNotAllowed } from './http.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const LANGUAGE_MAPS = new Set(['name', 'description']);

/**
 * The canonical definition: definitions merged oldest to newest; language maps and extensions
 * merge key by key (so two statements in two languages give both), other properties take the latest.
 */
export function mergeDefinitions(defs: Obj[]): Obj | undefined {
  if (!defs.length) return undefined;
  const merged: Obj = {};
  for (const def of defs) {
    for (const [k, v] of Object.entries(def)) {
      if ((LANGUAGE_MAPS.has(k) || k === 'extensions') && isObj(v) && isObj(merged[k])) {
        merged[k] = { ...merged[k], ...v };
      } else {
        merged[k] = v;
      }
    }
  }
  return merged;
}

/** GET /xapi/activities?activityId=: the Activity with everything the LRS knows of its definition. */
export function activitiesRoutes(ctx: AppContext): Router {
  const r = Router();
  r.get('/', async (req, res) => {
    const q = req.query as Obj;
    checkParams(q, ['activityId']);
    const id = iriParam(q, 'activityId');
    const definition = mergeDefinitions(await definitionsOf(ctx.db, id));
    res.json({ objectType: 'Activity', id, ...(definition ? { definition } : {}) });
  });
  r.all('/', (req) => {
    throw new MethodNotAllowed(req.method, 'GET, HEAD');
  });
  return r;
}
