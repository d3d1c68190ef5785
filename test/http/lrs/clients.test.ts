import assert from 'node:assert/strict';
import supertest from 'supertest';
import { buildUser } from '../../factories.js';
import { postForm, signIn, startTestApp, type TestApp } from '../../helpers/http.js';
import { xapiHeaders } from '../../helpers/lrs.js';
import { lrsCommands } from '../../../src/cli/lrs.js';
import { listAuditEvents } from '../../../src/platform/audit.js';
import { ValidationFailed } from '../../../src/platform/errors.js';

const secretFrom = (html: string, label: string) => {
  const m = new RegExp(`<dt>${label}</dt><dd><code>([^<]+)</code>`).exec(html);
  assert.ok(m, `no ${label} on the page`);
  return m[1]!;
};

describe('LRS clients (admin pages, CLI)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  it('lets an admin create a client whose secret is shown once and works at once', async () => {
    const admin = await buildUser(t.ctx.db, { roles: ['admin'] });
    const agent = await signIn(t.app, admin.email, admin.password);
    const list = await agent.get('/admin/lrs');
    assert.equal(list.status, 200);
    assert.match(list.text, /No LRS client yet/);

    const created = await postForm(agent, '/admin/lrs/new', '/admin/lrs', {
      name: 'Authoring tool',
      scopes: ['statements/write', 'state'],
    });
    assert.equal(created.status, 201);
    assert.equal(created.headers['cache-control'], 'no-store');
    const key = secretFrom(created.text, 'Key');
    const secret = secretFrom(created.text, 'Secret');
    assert.match(secret, /^[A-Za-z0-9_-]{43}$/);

    const row = await t.ctx.db('lrs_clients').where({ key }).first();
    assert.notEqual(Buffer.from(row.secret_hash).toString('utf8'), secret);
    assert.equal(Buffer.from(row.secret_hash).length, 32);

    const header = `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;
    const state = await supertest(t.app)
      .get('/xapi/activities/state')
      .query({ activityId: 'http://example.org/a', agent: JSON.stringify({ mbox: 'mailto:a@example.org' }) })
      .set(xapiHeaders(header));
    assert.equal(state.status, 200);

    const listed = await agent.get('/admin/lrs');
    assert.match(listed.text, /Authoring tool/);
    assert.match(listed.text, new RegExp(key));
    assert.doesNotMatch(listed.text, new RegExp(secret));

    const disabled = await postForm(agent, '/admin/lrs', `/admin/lrs/${row.id}/disable`, {});
    assert.equal(disabled.status, 303);
    const refused = await supertest(t.app)
      .get('/xapi/activities/state')
      .query({ activityId: 'http://example.org/a', agent: JSON.stringify({ mbox: 'mailto:a@example.org' }) })
      .set(xapiHeaders(header));
    assert.equal(refused.status, 401);
    assert.match(refused.body.error.message, /disabled/);

    const events = await listAuditEvents(t.ctx.db, { limit: 10 });
    const names = events.map((e) => e.event);
    assert.ok(names.includes('lrs.client_created'));
    assert.ok(names.includes('lrs.client_disabled'));
    const createdEvent = events.find((e) => e.event === 'lrs.client_created')!;
    assert.equal(createdEvent.actor_id, admin.id);
    assert.ok(!JSON.stringify(createdEvent.details).includes(secret));
  });

  it('re-renders the form with the reasons when the name or the scopes are missing', async () => {
    const admin = await buildUser(t.ctx.db, { roles: ['admin'] });
    const agent = await signIn(t.app, admin.email, admin.password);
    const res = await postForm(agent, '/admin/lrs/new', '/admin/lrs', { name: '' });
    assert.equal(res.status, 422);
    assert.match(res.text, /Give the client a name/);
    assert.match(res.text, /Choose at least one scope/);
  });

  it('keeps the pages to admins', async () => {
    const learner = await buildUser(t.ctx.db, { roles: ['learner'] });
    const agent = await signIn(t.app, learner.email, learner.password);
    assert.equal((await agent.get('/admin/lrs')).status, 403);
    assert.equal((await supertest(t.app).get('/admin/lrs')).status, 303);
  });

  it('creates a client from the command line, printing key and secret once', async () => {
    const out = await lrsCommands['create-lrs-client']!.run(
      { db: t.ctx.db, config: t.ctx.config },
      { name: 'Bench', scopes: 'statements/write, all/read' },
      [],
    );
    const key = /key: +(\S+)/.exec(out)![1]!;
    const secret = /secret: +(\S+)/.exec(out)![1]!;
    const about = await supertest(t.app)
      .get('/xapi/activities/profile')
      .query({ activityId: 'http://example.org/a' })
      .set(xapiHeaders(`Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`));
    assert.equal(about.status, 200);
    await assert.rejects(
      lrsCommands['create-lrs-client']!.run(
        { db: t.ctx.db, config: t.ctx.config },
        { name: 'X', scopes: 'everything' },
        [],
      ),
      ValidationFailed,
    );
  });
});
