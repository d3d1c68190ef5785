import type { Db } from '../../platform/db.js';
import { Kind } from './statements.model.js';

// A popular activity may be in millions of statements: its definition is read from the latest ones.
const RECENT = 5000;

/**
 * Every distinct definition given for this activity id in stored statements (as object, in context,
 * in a sub-statement), oldest first, from statement_related (kind relatedActivity) and the statement JSON.
 */
export async function definitionsOf(db: Db, activityId: string): Promise<Record<string, unknown>[]> {
  const { rows } = (await db.raw(
    `select d.def, min(h.seq) as first_seq
       from (select s.seq, s.statement
               from statement_related r join statements s on s.seq = r.seq
              where r.ident = ? and r.kind = ?
              order by r.stored desc, r.seq desc
              limit ?) h,
            lateral jsonb_path_query(h.statement, 'strict $.** \\? (@.id == $id && exists (@.definition)).definition',
                                     jsonb_build_object('id', ?::text)) as d(def)
      group by d.def
      order by first_seq`,
    [activityId, Kind.relatedActivity, RECENT, activityId],
  )) as { rows: { def: Record<string, unknown> }[] };
  return rows.map((r) => r.def);
}
