import type { Db } from '../../platform/db.js';
import { ifiKey } from './ifi.js';
import type { Agent } from './lrs.types.js';
import { Kind } from './statements.model.js';

const RECENT = 5000;

/** The JSON path filter that finds objects with this agent's identifier, and its variables. */
function identifierFilter(a: Agent): { filter: string; vars: Record<string, string> } {
  if (a.mbox) return { filter: '@.mbox == $v', vars: { v: a.mbox } };
  if (a.mbox_sha1sum) return { filter: '@.mbox_sha1sum == $v', vars: { v: a.mbox_sha1sum } };
  if (a.openid) return { filter: '@.openid == $v', vars: { v: a.openid } };
  return {
    filter: '@.account.homePage == $h && @.account.name == $n',
    vars: { h: a.account!.homePage, n: a.account!.name },
  };
}

/** Every name this agent was given in stored statements (as actor, object, authority, in context). */
export async function namesOf(db: Db, agent: Agent): Promise<string[]> {
  const key = ifiKey(agent);
  if (!key) return [];
  const { filter, vars } = identifierFilter(agent);
  const { rows } = (await db.raw(
    `select distinct n.name #>> '{}' as name
       from (select s.statement
               from statement_related r join statements s on s.seq = r.seq
              where r.ident = ? and r.kind in (?, ?)
              order by r.stored desc, r.seq desc
              limit ?) h,
            lateral jsonb_path_query(h.statement, ('strict $.** \\? (' || ? || ' && exists (@.name)).name')::jsonpath,
                                     ?::jsonb) as n(name)
      where jsonb_typeof(n.name) = 'string'
      order by 1`,
    [key, Kind.agent, Kind.relatedAgent, RECENT, filter, JSON.stringify(vars)],
  )) as { rows: { name: string }[] };
  return rows.map((r) => r.name);
}
