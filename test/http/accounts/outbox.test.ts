import assert from 'node:assert/strict';
import { buildUser } from '../../factories.js';
import { signIn, startTestApp, type TestApp } from '../../helpers/http.js';

describe('the mail outbox page (HTTP)', () => {
  let t: TestApp;
  before(async () => {
    // With a mail server configured; nothing is delivered, as tests start no delivery loop.
    t = await startTestApp({ SMTP_URL: 'smtp://127.0.0.1:1' });
  });
  after(() => t.close());

  it('pages through every mail, newest first, and keeps no text of a sent one', async () => {
    const admin = await buildUser(t.ctx.db, { roles: ['admin'] });
    const agent = await signIn(t.app, admin.email, admin.password);
    const at = (i: number) => t.ctx.db.raw(`now() - make_interval(secs => ?)`, [1000 - i]);
    await t.ctx.db('mail_outbox').insert(
      Array.from({ length: 51 }, (_, i) => ({
        to_address: `m${i}@example.org`,
        subject: `Mail number ${i}`,
        body: `body ${i}`,
        status: 'queued',
        created_at: at(i),
      })),
    );
    await t.ctx
      .db('mail_outbox')
      .where({ to_address: 'm50@example.org' })
      .update({ status: 'sent', body: '', sent_at: t.ctx.db.fn.now() });
    await t.ctx
      .db('mail_outbox')
      .where({ to_address: 'm49@example.org' })
      .update({ attempts: 2, error: 'mailbox unavailable' });

    const first = (await agent.get('/admin/outbox')).text;
    assert.match(first, /passes through here on its way to the mail server/);
    assert.match(first, /Mail number 50<\/h2>[\s\S]*Sent /);
    assert.match(first, /Not sent yet after 2 attempt\(s\): mailbox unavailable/);
    assert.equal((first.match(/<article class="card">/g) ?? []).length, 50);
    assert.doesNotMatch(first, /Mail number 0</);
    assert.doesNotMatch(first, /body 50/);
    const older = /href="(\/admin\/outbox\?after=[0-9a-f-]+)"/.exec(first);
    assert.ok(older, 'a link to older mails');

    const second = (await agent.get(older[1]!)).text;
    assert.equal((second.match(/<article class="card">/g) ?? []).length, 1);
    assert.match(second, /Mail number 0</);
    assert.doesNotMatch(second, /Older mails/);
  });
});
