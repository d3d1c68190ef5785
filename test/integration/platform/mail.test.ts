import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { createLogger } from '../../../src/platform/logger.js';
import { createMailer, MAX_ATTEMPTS, type Mailer } from '../../../src/platform/mail.js';
import type { Database } from '../../../src/platform/db.js';
import { createTestDatabase } from '../../helpers/db.js';

interface Received {
  to: string[];
  data: string;
}

/** A real SMTP server on the loopback that keeps what it receives, or refuses it while `refusing` is set. */
async function startSmtp() {
  const received: Received[] = [];
  const state = { refusing: false };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, done) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (state.refusing)
          return done(Object.assign(new Error('mailbox unavailable'), { responseCode: 450 }));
        received.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          data: Buffer.concat(chunks).toString(),
        });
        done();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    state,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const mail = {
  to: 'ama@example.org',
  subject: 'Reset your password',
  text: 'Your link: https://x/reset/SECRET',
};
const row = (d: Database) => d.db('mail_outbox').where({ to_address: mail.to }).first();

describe('mail delivery from the outbox', function () {
  this.timeout(30_000);
  let d: Database;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let mailer: Mailer;
  const logger = createLogger('silent');

  beforeEach(async () => {
    d = await createTestDatabase();
    smtp = await startSmtp();
    mailer = createMailer({ smtpUrl: smtp.url, from: 'WorkCoopHub <hub@example.org>', logger });
  });
  afterEach(async () => {
    await smtp.close();
    await d.close();
  });

  it('keeps a mail in the outbox without SMTP, for admins to read', async () => {
    const kept = createMailer({ from: 'hub@example.org', logger });
    await kept.send(d.db, mail);
    assert.equal(await kept.deliverDue(d.db), 0);
    const r = await row(d);
    assert.equal(r.status, 'kept');
    assert.equal(r.body, mail.text);
  });

  it('queues a mail without talking to the server, then delivers it and clears its text', async () => {
    await mailer.send(d.db, mail);
    assert.equal((await row(d)).status, 'queued');
    assert.equal(smtp.received.length, 0, 'nothing sent by the request that wrote it');

    assert.equal(await mailer.deliverDue(d.db), 1);
    assert.deepEqual(smtp.received[0]!.to, [mail.to]);
    assert.match(smtp.received[0]!.data, /Your link: https:\/\/x\/reset\/SECRET/);
    const r = await row(d);
    assert.equal(r.status, 'sent');
    assert.equal(r.body, '', 'the personal link is not kept once delivered');
    assert.ok(r.sent_at);
    assert.equal(await mailer.deliverDue(d.db), 0, 'sent once');
  });

  it('retries a refused mail later, and marks it failed after the last attempt', async () => {
    smtp.state.refusing = true;
    await mailer.send(d.db, mail);
    assert.equal(await mailer.deliverDue(d.db), 0);
    let r = await row(d);
    assert.equal(r.status, 'queued');
    assert.equal(r.attempts, 1);
    assert.match(r.error, /mailbox unavailable/);
    assert.ok(new Date(r.next_attempt_at).getTime() > Date.now() + 30_000, 'retried after a pause');
    assert.equal(r.body, mail.text, 'kept for the retry');

    // the pause is over: the server takes it now
    smtp.state.refusing = false;
    await d.db('mail_outbox').update({ next_attempt_at: d.db.fn.now() });
    assert.equal(await mailer.deliverDue(d.db), 1);
    assert.equal((await row(d)).status, 'sent');

    smtp.state.refusing = true;
    await mailer.send(d.db, { ...mail, to: 'bo@example.org' });
    await d
      .db('mail_outbox')
      .where({ to_address: 'bo@example.org' })
      .update({ attempts: MAX_ATTEMPTS - 1 });
    await mailer.deliverDue(d.db);
    r = await d.db('mail_outbox').where({ to_address: 'bo@example.org' }).first();
    assert.equal(r.status, 'failed');
    assert.equal(r.attempts, MAX_ATTEMPTS);
  });

  it('sends each mail once when two processes deliver at the same time', async () => {
    const other = createMailer({ smtpUrl: smtp.url, from: 'hub@example.org', logger });
    for (let i = 0; i < 30; i++) await mailer.send(d.db, { ...mail, to: `p${i}@example.org` });
    const [a, b] = await Promise.all([mailer.deliverDue(d.db), other.deliverDue(d.db)]);
    assert.equal(a + b, 30);
    assert.equal(smtp.received.length, 30);
    assert.equal(new Set(smtp.received.map((m) => m.to[0])).size, 30);
  });

  it('delivers soon after a send once its loop runs', async () => {
    const stop = mailer.startDelivery(d.db);
    try {
      await mailer.send(d.db, mail);
      for (let i = 0; i < 100 && (await row(d)).status !== 'sent'; i++)
        await new Promise((r) => setTimeout(r, 50));
      assert.equal((await row(d)).status, 'sent');
    } finally {
      stop();
    }
  });
});
