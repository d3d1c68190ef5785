/**
 * The rules of xAPI statements that a JSON Schema does not say well (Data 2.4): one inverse
 * functional identifier per Agent, Group shapes, score ranges, interaction components, context
 * properties that only an Activity object allows, voiding. Each returns the reason of a refusal.
 */
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const IFIS = ['mbox', 'mbox_sha1sum', 'openid', 'account'] as const;
export const VOIDED_VERB = 'http://adlnet.gov/expapi/verbs/voided';

function ifiCount(a: Obj): number {
  return IFIS.filter((k) => a[k] !== undefined).length;
}

function checkAgent(a: unknown, where: string): string | null {
  if (!isObj(a)) return null;
  if (ifiCount(a) !== 1)
    return `${where}: an Agent must have exactly one inverse functional identifier (mbox, mbox_sha1sum, openid or account)`;
  return null;
}

function checkActor(a: unknown, where: string): string | null {
  if (!isObj(a)) return null;
  if (a.objectType !== 'Group') return checkAgent(a, where);
  const n = ifiCount(a);
  if (n > 1) return `${where}: a Group must have at most one inverse functional identifier`;
  const members = a.member as unknown[] | undefined;
  if (n === 0 && (!members || members.length === 0))
    return `${where}: an anonymous Group (no inverse functional identifier) must list its members`;
  for (const [i, m] of (members ?? []).entries()) {
    const r = checkAgent(m, `${where}.member.${i}`);
    if (r) return r;
  }
  return null;
}

const COMPONENTS: Record<string, string[]> = {
  choice: ['choices'],
  sequencing: ['choices'],
  likert: ['scale'],
  matching: ['source', 'target'],
  performance: ['steps'],
};
const ALL_COMPONENTS = ['choices', 'scale', 'source', 'target', 'steps'];

function checkActivity(a: unknown, where: string): string | null {
  if (!isObj(a) || !isObj(a.definition)) return null;
  const d = a.definition;
  const type = d.interactionType as string | undefined;
  const uses = ['correctResponsesPattern', ...ALL_COMPONENTS].filter((k) => d[k] !== undefined);
  if (uses.length && !type) return `${where}.definition: "${uses[0]}" needs an "interactionType"`;
  if (type) {
    const allowed = COMPONENTS[type] ?? [];
    const wrong = uses.find((k) => k !== 'correctResponsesPattern' && !allowed.includes(k));
    if (wrong) return `${where}.definition: "${wrong}" is not allowed for interactionType "${type}"`;
    for (const k of allowed) {
      const ids = ((d[k] as Obj[] | undefined) ?? []).map((c) => c.id);
      if (new Set(ids).size !== ids.length) return `${where}.definition.${k}: ids must be unique`;
    }
  }
  return null;
}

function checkScore(score: unknown, where: string): string | null {
  if (!isObj(score)) return null;
  const { raw, min, max } = score as { raw?: number; min?: number; max?: number };
  if (min !== undefined && max !== undefined && min >= max) return `${where}.max: must be greater than min`;
  if (raw !== undefined && min !== undefined && raw < min) return `${where}.raw: must not be less than min`;
  if (raw !== undefined && max !== undefined && raw > max)
    return `${where}.raw: must not be greater than max`;
  return null;
}

function checkContext(ctx: unknown, object: Obj, where: string): string | null {
  if (!isObj(ctx)) return null;
  const activityObject = object.objectType === undefined || object.objectType === 'Activity';
  for (const k of ['revision', 'platform'])
    if (ctx[k] !== undefined && !activityObject)
      return `${where}.${k}: is only allowed when the object is an Activity`;
  let r = checkActor(ctx.instructor, `${where}.instructor`) ?? checkActor(ctx.team, `${where}.team`);
  if (r) return r;
  if (isObj(ctx.contextActivities)) {
    for (const [k, v] of Object.entries(ctx.contextActivities)) {
      for (const [i, act] of (Array.isArray(v) ? v : [v]).entries()) {
        r = checkActivity(act, `${where}.contextActivities.${k}.${i}`);
        if (r) return r;
      }
    }
  }
  for (const [i, ca] of ((ctx.contextAgents as Obj[] | undefined) ?? []).entries()) {
    r = checkAgent(ca.agent, `${where}.contextAgents.${i}.agent`);
    if (r) return r;
  }
  for (const [i, cg] of ((ctx.contextGroups as Obj[] | undefined) ?? []).entries()) {
    r = checkActor(cg.group, `${where}.contextGroups.${i}.group`);
    if (r) return r;
  }
  return null;
}

function checkBody(s: Obj, where: string): string | null {
  const object = s.object as Obj;
  let r = checkActor(s.actor, `${where}actor`);
  if (r) return r;
  const ot = object.objectType;
  if (ot === 'Agent' || ot === 'Group') r = checkActor(object, `${where}object`);
  else if (ot === undefined || ot === 'Activity') r = checkActivity(object, `${where}object`);
  if (r) return r;
  if (isObj(s.result)) {
    r = checkScore(s.result.score, `${where}result.score`);
    if (r) return r;
  }
  r = checkContext(s.context, object, `${where}context`);
  if (r) return r;
  for (const [i, a] of ((s.attachments as Obj[] | undefined) ?? []).entries()) {
    if (a.usageType === SIGNATURE_USAGE && a.contentType !== 'application/octet-stream')
      return `${where}attachments.${i}.contentType: a signature attachment must be application/octet-stream`;
  }
  return null;
}

/** An authority is an Agent, or an anonymous Group of exactly two Agents (an OAuth consumer and user). */
function checkAuthority(a: unknown): string | null {
  if (!isObj(a)) return null;
  if (a.objectType === 'Group') {
    if (ifiCount(a) > 0)
      return 'authority: a Group authority must be anonymous (no inverse functional identifier)';
    if (!Array.isArray(a.member) || a.member.length !== 2)
      return 'authority: a Group authority must have exactly two members';
  }
  return checkActor(a, 'authority');
}

export const SIGNATURE_USAGE = 'http://adlnet.gov/expapi/attachments/signature';

/** The rules beyond the schema, for a statement whose shape is already valid. */
export function checkStatementRules(s: Obj): string | null {
  const r = checkBody(s, '');
  if (r) return r;
  const object = s.object as Obj;
  if (object.objectType === 'SubStatement') {
    const sub = checkBody(object, 'object.');
    if (sub) return sub;
  }
  const authority = checkAuthority(s.authority);
  if (authority) return authority;
  const verb = s.verb as Obj;
  if (verb.id === VOIDED_VERB && object.objectType !== 'StatementRef')
    return 'object: a voiding statement (verb "voided") must have a StatementRef as its object';
  return null;
}
