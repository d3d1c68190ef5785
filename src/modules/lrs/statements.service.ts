import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Db } from '../../platform/db.js';
import { AppError, BadRequest, Conflict } from '../../platform/errors.js';
import { insertAttachments } from './attachments.repo.js';
import { ifiKey, sameAgent } from './ifi.js';
import type { Actor, Agent, LrsAuth, XapiVersion } from './lrs.types.js';
import { checkSignature } from './signature.js';
import {
  normaliseContextActivities,
  relatedRows,
  sameStatement,
  type Statement,
} from './statements.model.js';
import {
  findByIds,
  insertStatements,
  voidTargets,
  type InsertRow,
  type TrackedRegistrations,
} from './statements.repo.js';
import { SIGNATURE_USAGE, VOIDED_VERB, checkStatementRules } from './statements.rules.js';
import { checkStatementShape } from './statements.schemas.js';

type Obj = Record<string, unknown>;
type DbOrTrx = Db | Knex.Transaction;

/** A statement as stored, handed to projection hooks. */
export interface StoredStatement {
  id: string;
  statement: Statement;
}
export type StatementsHook = (trx: Knex.Transaction, stored: StoredStatement[]) => Promise<void>;

export interface HookOptions {
  /**
   * The hook has nothing to do for statements whose registration is not in this column (nor for
   * statements without one), voiding statements apart: a batch of those is written without a
   * transaction, in one SQL statement, and the hook is not called.
   */
  registrationsIn?: TrackedRegistrations;
}

const hooks: { hook: StatementsHook; opts: HookOptions }[] = [];

/**
 * Registers a projection: it runs in the same transaction as the insert of every batch of new
 * statements (not for ids already stored). Returns a function that removes it.
 */
export function onStatementsStored(hook: StatementsHook, opts: HookOptions = {}): () => void {
  const entry = { hook, opts };
  hooks.push(entry);
  return () => {
    const i = hooks.indexOf(entry);
    if (i >= 0) hooks.splice(i, 1);
  };
}

/** Which stored statements go to the external LRS; null when forwarding is off. */
export interface ForwardFilter {
  verbs: string[] | null;
  activityPrefix: string | null;
}
let forwardFilter: ForwardFilter | null = null;
/** Set once at start from the configuration (one platform per process). */
export function setForwardFilter(f: ForwardFilter | null): void {
  forwardFilter = f;
}

/** An attachment part of a multipart/mixed request, already checked against its hash header. */
export interface AttachmentPart {
  contentType: string;
  data: Buffer;
}

export interface StoreOptions {
  version?: XapiVersion;
  /** Parts of a multipart/mixed request by SHA-2 hash. */
  parts?: Map<string, AttachmentPart>;
}

/** A refusal of one statement of a batch: names it, the property and the rule. */
export class StatementRefused extends AppError {
  constructor(index: number, reason: string, status = 400) {
    super(status, 'lrs-statements:refused', { index, reason }, { index, reason });
  }
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function forwardable(s: Statement): boolean {
  if (!forwardFilter) return false;
  const verbId = (s.verb as Obj).id as string;
  if (forwardFilter.verbs && !forwardFilter.verbs.includes(verbId)) return false;
  if (forwardFilter.activityPrefix) {
    const o = s.object as Obj;
    if (typeof o.id !== 'string' || (o.objectType !== undefined && o.objectType !== 'Activity')) return false;
    if (!o.id.startsWith(forwardFilter.activityPrefix)) return false;
  }
  return true;
}

function checkLaunch(s: Statement, i: number, launch: NonNullable<LrsAuth['launch']>): void {
  if (!sameAgent(s.actor as Agent, launch.actor))
    throw new StatementRefused(
      i,
      'actor: launch credentials may only record statements about their own learner',
      403,
    );
  const reg = (s.context as Obj | undefined)?.registration;
  if (typeof reg !== 'string' || reg.toLowerCase() !== launch.registration.toLowerCase())
    throw new StatementRefused(
      i,
      `context.registration: launch credentials may only record registration ${launch.registration}`,
      403,
    );
  if ((s.verb as Obj).id === VOIDED_VERB)
    throw new StatementRefused(i, 'verb: launch credentials may not void statements', 403);
}

/**
 * Validates, completes (id, stored, timestamp, version, authority) and stores statements; returns
 * their ids in order. A batch is all or nothing. An id already stored with the same statement is
 * accepted without change; with another statement it is a 409.
 * Other modules call it with their own transaction to record statements with their own writes.
 */
export async function storeStatements(
  db: DbOrTrx,
  input: unknown[],
  auth: LrsAuth,
  opts: StoreOptions = {},
): Promise<string[]> {
  const version = opts.version ?? '2.0.0';
  const stored = new Date().toISOString();
  const seen = new Set<string>();
  const rows: InsertRow[] = [];
  const originals = new Map<string, Statement>();
  const voiding: { id: string; target: string }[] = [];
  const usedParts = new Set<string>();
  let clientIds = false;

  for (const [i, raw] of input.entries()) {
    if (!isObj(raw)) throw new StatementRefused(i, 'statement: must be a JSON object');
    const shape = checkStatementShape(raw, version);
    if (shape) throw new StatementRefused(i, shape);
    const rule = checkStatementRules(raw);
    if (rule) throw new StatementRefused(i, rule);
    if (auth.launch) checkLaunch(raw, i, auth.launch);

    const s: Statement = { ...raw };
    const id = typeof s.id === 'string' ? s.id.toLowerCase() : randomUUID();
    if (typeof s.id === 'string') clientIds = true;
    if (seen.has(id)) throw new StatementRefused(i, `id: ${id} appears more than once in this batch`);
    seen.add(id);
    s.id = id;
    s.stored = stored;
    s.timestamp ??= stored;
    s.version ??= version === '2.0.0' ? '2.0.0' : '1.0.0';
    s.authority = auth.authority;
    normaliseContextActivities(s);

    for (const [k, a] of ((s.attachments as Obj[] | undefined) ?? []).entries()) {
      const part = opts.parts?.get(a.sha2 as string);
      if (part) usedParts.add(a.sha2 as string);
      if (a.usageType === SIGNATURE_USAGE) {
        if (!part)
          throw new StatementRefused(
            i,
            `attachments.${k}: the signature attachment has no part with hash ${String(a.sha2)}`,
          );
        const bad = await checkSignature(part.data.toString('utf8'), raw);
        if (bad) throw new StatementRefused(i, `attachments.${k}: ${bad}`);
      } else if (!part && a.fileUrl === undefined) {
        throw new StatementRefused(
          i,
          `attachments.${k}: no fileUrl and no multipart part with hash ${String(a.sha2)}`,
        );
      }
    }

    const object = s.object as Obj;
    const isVoiding = (s.verb as Obj).id === VOIDED_VERB;
    const ref = object.objectType === 'StatementRef' ? (object.id as string).toLowerCase() : null;
    if (isVoiding && ref) voiding.push({ id, target: ref });
    originals.set(id, raw);
    rows.push({
      i: id,
      s,
      r: relatedRows(s),
      ak: ifiKey(s.actor as Actor),
      ac: object.objectType === undefined || object.objectType === 'Activity' ? (object.id as string) : null,
      or: ref,
      vd: isVoiding,
      au: ifiKey(auth.authority),
      ...(forwardFilter && forwardable(s) ? { f: true } : {}),
    });
  }
  if (opts.parts) {
    const extra = [...opts.parts.keys()].find((h) => !usedParts.has(h));
    if (extra) throw new BadRequest('lrs-statements:extraPart', { hash: extra });
  }
  if (!rows.length) return [];

  const forwarding = forwardFilter !== null;
  /** What follows the insert: the check of ids already stored, voiding, attachments, the hooks. */
  const complete = async (trx: DbOrTrx, inserted: Set<string>, withHooks: boolean) => {
    if (inserted.size < rows.length) {
      const existing = await findByIds(
        trx,
        rows.filter((r) => !inserted.has(r.i)).map((r) => r.i),
      );
      for (const [id, old] of existing) {
        if (!sameStatement(originals.get(id)!, old)) throw new Conflict('lrs-statements:conflict', { id });
      }
    }
    await voidTargets(
      trx,
      voiding.filter((v) => inserted.has(v.id)).map((v) => v.target),
    );
    if (opts.parts?.size) await insertAttachments(trx, opts.parts);
    if (withHooks && hooks.length) {
      const fresh = rows.filter((r) => inserted.has(r.i)).map((r) => ({ id: r.i, statement: r.s }));
      for (const { hook } of hooks) await hook(trx as Knex.Transaction, fresh);
    }
  };
  const write = async (trx: DbOrTrx) => complete(trx, (await insertStatements(trx, rows, forwarding))!, true);
  // One SQL statement is atomic by itself: a transaction only when more than one write may follow.
  const alone = voiding.length === 0 && !opts.parts?.size && !(rows.length > 1 && clientIds);
  const tracked = hooks.flatMap((h) => (h.opts.registrationsIn ? [h.opts.registrationsIn] : []));
  if ((db as Knex.Transaction).isTransaction) await write(db);
  else if (alone && !hooks.length) await write(db);
  else if (alone && tracked.length === hooks.length) {
    // hooks that have no work for these statements: insert them alone, or else in a transaction with the hooks
    const inserted = await insertStatements(db, rows, forwarding, tracked);
    if (inserted) await complete(db, inserted, false);
    else await (db as Db).transaction(write);
  } else await (db as Db).transaction(write);
  return rows.map((r) => r.i);
}
