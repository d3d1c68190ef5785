import type { Statement } from './statements.model.js';

/** The `format` parameter of GET statements (Communication 2.1.3). */
export type StatementFormat = 'exact' | 'ids' | 'canonical';
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const IFI_KEYS = ['mbox', 'mbox_sha1sum', 'openid', 'account'];

function actorIds(a: unknown): unknown {
  if (!isObj(a)) return a;
  const out: Obj = {};
  if (a.objectType) out.objectType = a.objectType;
  for (const k of IFI_KEYS) if (a[k] !== undefined) out[k] = a[k];
  // an anonymous Group is identified by its members
  if (a.objectType === 'Group' && !IFI_KEYS.some((k) => a[k] !== undefined) && Array.isArray(a.member))
    out.member = a.member.map(actorIds);
  return out;
}

// an Activity is identified by its id alone
const activityIds = (a: unknown) => (isObj(a) ? { id: a.id } : a);

function objectIds(o: Obj): Obj {
  switch (o.objectType) {
    case 'Agent':
    case 'Group':
      return actorIds(o) as Obj;
    case 'StatementRef':
      return o;
    case 'SubStatement':
      return bodyIds(o);
    default:
      return activityIds(o) as Obj;
  }
}

function contextIds(ctx: Obj): Obj {
  const out: Obj = { ...ctx };
  if (ctx.instructor) out.instructor = actorIds(ctx.instructor);
  if (ctx.team) out.team = actorIds(ctx.team);
  if (isObj(ctx.contextActivities))
    out.contextActivities = Object.fromEntries(
      Object.entries(ctx.contextActivities).map(([k, v]) => [k, (v as unknown[]).map(activityIds)]),
    );
  if (Array.isArray(ctx.contextAgents))
    out.contextAgents = (ctx.contextAgents as Obj[]).map((c) => ({ ...c, agent: actorIds(c.agent) }));
  if (Array.isArray(ctx.contextGroups))
    out.contextGroups = (ctx.contextGroups as Obj[]).map((c) => ({ ...c, group: actorIds(c.group) }));
  return out;
}

function bodyIds(s: Obj): Obj {
  const out: Obj = { ...s, actor: actorIds(s.actor), verb: { id: (s.verb as Obj).id } };
  out.object = objectIds(s.object as Obj);
  if (isObj(s.context)) out.context = contextIds(s.context);
  if (s.authority) out.authority = actorIds(s.authority);
  return out;
}

/** Accept-Language as a list of tags, best first (RFC 7231 §5.3.5). */
export function parseAcceptLanguage(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((part, i) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)/.exec(p)?.[1]).find(Boolean);
      return { tag: (tag ?? '').trim().toLowerCase(), q: q ? Number(q) : 1, i };
    })
    .filter((x) => x.tag && x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i)
    .map((x) => x.tag);
}

/** One entry of a language map, chosen by the caller's languages (then en, then the first). */
function pickLanguage(map: unknown, langs: string[]): unknown {
  if (!isObj(map)) return map;
  const keys = Object.keys(map);
  if (keys.length <= 1) return map;
  const lower = keys.map((k) => k.toLowerCase());
  for (const want of [...langs, 'en-us', 'en']) {
    if (want === '*') break;
    let i = lower.indexOf(want);
    if (i < 0) i = lower.findIndex((k) => k.startsWith(`${want}-`) || want.startsWith(`${k}-`));
    if (i >= 0) return { [keys[i]!]: map[keys[i]!] };
  }
  return { [keys[0]!]: map[keys[0]!] };
}

function activityCanonical(a: unknown, langs: string[]): unknown {
  if (!isObj(a) || !isObj(a.definition)) return a;
  const d: Obj = { ...a.definition };
  for (const k of ['name', 'description']) if (d[k]) d[k] = pickLanguage(d[k], langs);
  for (const k of ['choices', 'scale', 'source', 'target', 'steps'])
    if (Array.isArray(d[k]))
      d[k] = (d[k] as Obj[]).map((c) =>
        c.description ? { ...c, description: pickLanguage(c.description, langs) } : c,
      );
  return { ...a, definition: d };
}

function bodyCanonical(s: Obj, langs: string[]): Obj {
  const verb = s.verb as Obj;
  const out: Obj = {
    ...s,
    verb: verb.display ? { ...verb, display: pickLanguage(verb.display, langs) } : verb,
  };
  const o = s.object as Obj;
  if (o.objectType === undefined || o.objectType === 'Activity') out.object = activityCanonical(o, langs);
  else if (o.objectType === 'SubStatement') out.object = bodyCanonical(o, langs);
  if (isObj(s.context) && isObj(s.context.contextActivities)) {
    out.context = {
      ...s.context,
      contextActivities: Object.fromEntries(
        Object.entries(s.context.contextActivities).map(([k, v]) => [
          k,
          (v as unknown[]).map((a) => activityCanonical(a, langs)),
        ]),
      ),
    };
  }
  return out;
}

/** The statement in the requested format; `exact` is the statement as stored. */
export function formatStatement(s: Statement, format: StatementFormat, langs: string[]): Statement {
  if (format === 'ids') return bodyIds(s);
  if (format === 'canonical') return bodyCanonical(s, langs);
  return s;
}
