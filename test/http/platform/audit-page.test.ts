import assert from 'node:assert/strict';
import { buildUser } from '../../factories.js';
import { signIn, startTestApp, type TestApp } from '../../helpers/http.js';

describe('the audit log page names its events (HTTP)', function () {
  this.timeout(60_000); // the app migrates a fresh database; slow on a busy machine
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  it('shows each event’s name in the admin’s language beside its code', async () => {
    const admin = await buildUser(t.ctx.db, { roles: ['admin'], language: 'de' });
    const agent = await signIn(t.app, admin.email, admin.password);
    await t.ctx.db('audit_events').insert({ event: 'something.new', details: '{}' });
    const res = await agent.get('/admin/audit');
    assert.equal(res.status, 200);
    assert.match(res.text, /Angemeldet<br><code>signin\.success<\/code>/);
    // An event without a name yet still shows its code, and nothing else.
    assert.match(res.text, /<td><code>something\.new<\/code><\/td>/);
  });
});
