import nodemailer, { type Transporter } from 'nodemailer';
import type { Db } from './db.js';
import type { Logger } from './logger.js';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  /** Keeps the mail in the outbox; with SMTP configured the delivery loop sends it from there. */
  send(db: Db, mail: Mail): Promise<void>;
  /** Sends the queued mails that are due; returns how many went. The loop calls it, and tests do. */
  deliverDue(db: Db): Promise<number>;
  /** Starts this process's delivery loop (a no-op without SMTP); returns its stop. */
  startDelivery(db: Db): () => void;
}

const TICK_MS = 5000;
const BATCH = 20;
/** A claimed mail is invisible to other processes this long (a crash mid-send releases it then). */
const LEASE_SECONDS = 120;
/** Back-off 1, 2, 4 … minutes, at most an hour; after this many attempts the mail is marked failed. */
export const MAX_ATTEMPTS = 10;
export const retryDelaySeconds = (attempts: number) => Math.min(3600, 60 * 2 ** (attempts - 1));

interface Claimed {
  id: string;
  to_address: string;
  subject: string;
  body: string;
  attempts: number;
}

/**
 * Every mail is written to the outbox first, so nothing is lost. Without SMTP it stays there ("kept") and
 * admins read it at /admin/outbox. With SMTP it is "queued" and sent by a loop, never by the request that
 * wrote it: a slow mail server holds up no page, and how long a page takes tells nothing of what it mailed.
 * Once sent, its text is cleared: it may hold a personal link that only its addressee should use.
 */
export function createMailer(opts: { smtpUrl?: string; from: string; logger: Logger }): Mailer {
  const transport: Transporter | null = opts.smtpUrl ? nodemailer.createTransport(opts.smtpUrl) : null;
  let nudge: (() => void) | undefined;

  async function deliverOne(db: Db, mail: Claimed): Promise<boolean> {
    try {
      await transport!.sendMail({
        from: opts.from,
        to: mail.to_address,
        subject: mail.subject,
        text: mail.body,
      });
      await db('mail_outbox')
        .where({ id: mail.id })
        .update({ status: 'sent', body: '', error: null, sent_at: db.fn.now(), updated_at: db.fn.now() });
      return true;
    } catch (err) {
      const error = (err instanceof Error ? err.message : String(err)).slice(0, 500);
      const gaveUp = mail.attempts >= MAX_ATTEMPTS;
      opts.logger.warn({ err: error, to: mail.to_address, attempts: mail.attempts, gaveUp }, 'mail not sent');
      await db('mail_outbox')
        .where({ id: mail.id })
        .update({
          status: gaveUp ? 'failed' : 'queued',
          error,
          next_attempt_at: db.raw('now() + make_interval(secs => ?)', [retryDelaySeconds(mail.attempts)]),
          updated_at: db.fn.now(),
        });
      return false;
    }
  }

  const mailer: Mailer = {
    async send(db, mail) {
      await db('mail_outbox').insert({
        to_address: mail.to,
        subject: mail.subject,
        body: mail.text,
        status: transport ? 'queued' : 'kept',
      });
      nudge?.();
    },

    async deliverDue(db) {
      if (!transport) return 0;
      let sent = 0;
      for (;;) {
        const batch = await claimDue(db);
        for (const mail of batch) if (await deliverOne(db, mail)) sent++;
        if (batch.length < BATCH) return sent;
      }
    },

    startDelivery(db) {
      if (!transport) return () => undefined;
      let busy = false;
      let again = false;
      const tick = async () => {
        if (busy) return void (again = true);
        busy = true;
        try {
          do {
            again = false;
            await mailer.deliverDue(db);
          } while (again);
        } catch (err) {
          opts.logger.error({ err }, 'mail delivery pass failed');
        } finally {
          busy = false;
        }
      };
      const timer = setInterval(() => void tick(), TICK_MS);
      timer.unref();
      nudge = () => void tick();
      nudge();
      return () => {
        clearInterval(timer);
        nudge = undefined;
      };
    },
  };
  return mailer;
}

async function claimDue(db: Db): Promise<Claimed[]> {
  const res = (await db.raw(
    `with due as (
       select id from mail_outbox where status = 'queued' and next_attempt_at <= now()
       order by next_attempt_at limit ${BATCH} for update skip locked
     )
     update mail_outbox m
        set attempts = m.attempts + 1, next_attempt_at = now() + interval '${LEASE_SECONDS} seconds', updated_at = now()
       from due where m.id = due.id
     returning m.id, m.to_address, m.subject, m.body, m.attempts`,
  )) as { rows: Claimed[] };
  return res.rows;
}

export interface OutboxRow {
  id: string;
  to_address: string;
  subject: string;
  body: string;
  status: string;
  error: string | null;
  attempts: number;
  created_at: Date;
  sent_at: Date | null;
}

export const OUTBOX_PAGE = 50;

/** A page of the outbox, newest first (one more row than shown tells that an older page exists). */
export function listOutbox(db: Db, afterId?: string): Promise<OutboxRow[]> {
  const q = db('mail_outbox').orderBy([
    { column: 'created_at', order: 'desc' },
    { column: 'id', order: 'desc' },
  ]);
  // by the row itself, not a JS Date: created_at holds microseconds a Date would lose
  if (afterId)
    q.whereRaw('(created_at, id) < (select created_at, id from mail_outbox where id = ?)', [afterId]);
  return q.limit(OUTBOX_PAGE + 1);
}
