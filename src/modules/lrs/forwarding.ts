import M from '@xapi/xapi';
import type { AppContext } from '../../platform/context.js';
import type { LrsForwardConfig } from '../../platform/config.js';
import type { Db } from '../../platform/db.js';
import { findAttachments } from './attachments.repo.js';
import type { Statement } from './statements.model.js';

const XAPI = M.default;
type Obj = Record<string, unknown>;

const BATCH = 100;
const TICK_MS = 1000;
/** A claimed batch is invisible to other workers this long (a crash mid-send releases it then). */
const LEASE_SECONDS = 60;
const MAX_BACKOFF_SECONDS = 3600;

export const backoffSeconds = (attempts: number) =>
  Math.min(MAX_BACKOFF_SECONDS, 2 ** Math.min(attempts, 12));

interface Claimed {
  seq: number;
  attempts: number;
  statement: Statement;
}

async function claim(db: Db): Promise<Claimed[]> {
  const res = (await db.raw(
    `with c as (
       select seq from lrs_forward_queue where next_attempt_at <= now()
       order by seq limit ${BATCH} for update skip locked
     ), u as (
       update lrs_forward_queue q
          set next_attempt_at = now() + interval '${LEASE_SECONDS} seconds', attempts = q.attempts + 1, updated_at = now()
         from c where q.seq = c.seq
       returning q.seq, q.attempts
     )
     select u.seq, u.attempts, s.statement from u join statements s on s.seq = u.seq order by u.seq`,
  )) as { rows: Claimed[] };
  return res.rows;
}

/** Sends one batch to the external LRS, attachment data included (Communication 1.5.2). */
async function send(db: Db, cfg: LrsForwardConfig, statements: Statement[]): Promise<void> {
  const xapi = new XAPI({
    endpoint: cfg.endpoint,
    auth: XAPI.toBasicAuth(cfg.key, cfg.secret),
    adapter: 'fetch',
  });
  const meta = statements.flatMap((s) => (s.attachments as Obj[] | undefined) ?? []);
  const data = await findAttachments(
    db,
    meta.map((a) => String(a.sha2)),
  );
  const all = meta.map((a) => data.get(String(a.sha2).toLowerCase()));
  const attachments = all.every((d) => d !== undefined)
    ? all.map(
        (d) =>
          d!.data.buffer.slice(d!.data.byteOffset, d!.data.byteOffset + d!.data.byteLength) as ArrayBuffer,
      )
    : [];
  await xapi.sendStatements({ statements: statements as never, attachments });
}

/** One pass: claim a batch, send it, then drop it from the queue or schedule its retry. */
export async function forwardOnce(ctx: AppContext, cfg: LrsForwardConfig): Promise<number> {
  const batch = await claim(ctx.db);
  if (!batch.length) return 0;
  const seqs = batch.map((b) => b.seq);
  try {
    await send(
      ctx.db,
      cfg,
      batch.map((b) => b.statement),
    );
    await ctx.db('lrs_forward_queue').whereIn('seq', seqs).delete();
    await ctx.db('lrs_forward_log').insert({ outcome: 'sent', statements: batch.length });
    return batch.length;
  } catch (err) {
    const message = (err instanceof Error ? err.message : String(err)).slice(0, 500);
    const attempts = Math.max(...batch.map((b) => b.attempts));
    await ctx
      .db('lrs_forward_queue')
      .whereIn('seq', seqs)
      .update({
        last_error: message,
        next_attempt_at: ctx.db.raw(`now() + make_interval(secs => ?)`, [backoffSeconds(attempts)]),
        updated_at: ctx.db.fn.now(),
      });
    await ctx.db('lrs_forward_log').insert({ outcome: 'failed', statements: batch.length, error: message });
    ctx.logger.warn({ err: message, statements: batch.length }, 'LRS forwarding failed; will retry');
    return 0;
  }
}

let timer: NodeJS.Timeout | undefined;

/** Starts the forwarding worker of this process (the queue is in the database: it survives restarts). */
export function startForwarding(ctx: AppContext): () => void {
  stopForwarding();
  const cfg = ctx.config.lrsForward;
  if (!cfg) return stopForwarding;
  let busy = false;
  let ticks = 0;
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      // the log only feeds the admin page: a week of it is plenty
      if (ticks++ % 600 === 0)
        await ctx
          .db('lrs_forward_log')
          .where('created_at', '<', ctx.db.raw("now() - interval '7 days'"))
          .delete();
      while ((await forwardOnce(ctx, cfg)) === BATCH) {
        /* drain the backlog */
      }
    } catch (err) {
      ctx.logger.debug({ err }, 'LRS forwarding pass failed');
    } finally {
      busy = false;
    }
  };
  timer = setInterval(() => void tick(), TICK_MS);
  timer.unref();
  return stopForwarding;
}

export function stopForwarding(): void {
  if (timer) clearInterval(timer);
  timer = undefined;
}

export interface ForwardingStatus {
  enabled: boolean;
  endpoint: string | null;
  backlog: number;
  retrying: number;
  lastError: { message: string; at: Date } | null;
  lastSent: Date | null;
}

/** What the admin page shows. */
export async function forwardingStatus(db: Db, cfg: LrsForwardConfig | undefined): Promise<ForwardingStatus> {
  const counts = (await db('lrs_forward_queue')
    .select(db.raw('count(*) as backlog'), db.raw('count(*) filter (where attempts > 0) as retrying'))
    .first()) as { backlog: number | string; retrying: number | string };
  const failed = (await db('lrs_forward_log')
    .where({ outcome: 'failed' })
    .orderBy('id', 'desc')
    .first('error', 'created_at')) as { error: string; created_at: Date } | undefined;
  const sent = (await db('lrs_forward_log')
    .where({ outcome: 'sent' })
    .orderBy('id', 'desc')
    .first('created_at')) as { created_at: Date } | undefined;
  return {
    enabled: Boolean(cfg),
    endpoint: cfg?.endpoint ?? null,
    backlog: Number(counts.backlog),
    retrying: Number(counts.retrying),
    lastError: failed ? { message: failed.error, at: failed.created_at } : null,
    lastSent: sent?.created_at ?? null,
  };
}
