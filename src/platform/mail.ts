import nodemailer, { type Transporter } from 'nodemailer';
import type { Db } from './db.js';
import type { Logger } from './logger.js';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(db: Db, mail: Mail): Promise<void>;
}

/**
 * Every mail is written to the outbox first, so nothing is lost; with SMTP configured it is then sent.
 * Without SMTP the outbox is where admins read it.
 */
export function createMailer(opts: { smtpUrl?: string; from: string; logger: Logger }): Mailer {
  const transport: Transporter | null = opts.smtpUrl ? nodemailer.createTransport(opts.smtpUrl) : null;
  return {
    async send(db, mail) {
      const [row] = await db('mail_outbox')
        .insert({
          to_address: mail.to,
          subject: mail.subject,
          body: mail.text,
          status: transport ? 'queued' : 'kept',
        })
        .returning('id');
      if (!transport) return;
      try {
        await transport.sendMail({ from: opts.from, to: mail.to, subject: mail.subject, text: mail.text });
        await db('mail_outbox').where({ id: row.id }).update({ status: 'sent', updated_at: db.fn.now() });
      } catch (err) {
        opts.logger.error({ err, to: mail.to }, 'mail not sent');
        await db('mail_outbox')
          .where({ id: row.id })
          .update({ status: 'failed', error: String(err), updated_at: db.fn.now() });
      }
    },
  };
}

export interface OutboxRow {
  id: string;
  to_address: string;
  subject: string;
  body: string;
  status: string;
  error: string | null;
  created_at: Date;
}

export const listOutbox = (db: Db, limit = 100): Promise<OutboxRow[]> =>
  db('mail_outbox').orderBy('created_at', 'desc').limit(limit);
