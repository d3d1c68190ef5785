import assert from 'node:assert/strict';
import supertest from 'supertest';
import { buildUser } from '../../factories.js';
import { signIn, startHttpsTestApp, startTestApp, type TestApp } from '../../helpers/http.js';

describe('security headers, cookies and errors (HTTP)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  it('sends a strict CSP without inline scripts, and the usual hardening headers', async () => {
    const res = await supertest(t.app).get('/signin');
    const csp = String(res.headers['content-security-policy']);
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.match(csp, /frame-ancestors 'self'/);
    assert.match(csp, /frame-src 'self' http:\/\/127\.0\.0\.1:3001/);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['referrer-policy'], 'same-origin', 'our pages see our own referrer only');
    assert.equal(res.headers['x-powered-by'], undefined);
    assert.ok(res.headers['x-request-id']);
  });

  it('sets HttpOnly, SameSite=Lax cookies over plain HTTP', async () => {
    const res = await supertest(t.app).get('/signin');
    const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
    const session = cookies.find((c) => c.startsWith('wch.sid='));
    assert.ok(session);
    assert.match(session, /HttpOnly/);
    assert.match(session, /SameSite=Lax/);
    assert.doesNotMatch(session, /Secure/);
  });

  it('uses __Host- Secure cookies behind HTTPS', async () => {
    const https = await startHttpsTestApp();
    try {
      const res = await supertest(https.app).get('/signin').set('X-Forwarded-Proto', 'https');
      const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
      const session = cookies.find((c) => c.startsWith('__Host-wch.sid='));
      const csrf = cookies.find((c) => c.startsWith('__Host-wch.csrf='));
      for (const c of [session, csrf]) {
        assert.ok(c, String(cookies));
        assert.match(c, /; Path=\//);
        assert.match(c, /Secure/);
        assert.match(c, /HttpOnly/);
        assert.doesNotMatch(c, /Domain=/);
      }
      assert.match(String(res.headers['strict-transport-security']), /max-age=/);
    } finally {
      await https.close();
    }
  });

  it('shows a 404 page with the request id, and JSON for /api', async () => {
    const page = await supertest(t.app).get('/no-such-page');
    assert.equal(page.status, 404);
    assert.match(page.text, /We could not find what you were looking for/);
    assert.ok(page.text.includes(String(page.headers['x-request-id'])));
    const api = await supertest(t.app).get('/api/no-such-thing');
    assert.equal(api.status, 404);
    assert.equal(api.body.error.status, 404);
    assert.equal(api.body.error.requestId, api.headers['x-request-id']);
  });

  it('answers malformed JSON on /api with 400 and a reason', async () => {
    const user = await buildUser(t.ctx.db);
    const agent = await signIn(t.app, user.email, user.password);
    const res = await agent.post('/api/anything').set('Content-Type', 'application/json').send('{"broken":');
    assert.equal(res.status, 400);
    assert.match(res.body.error.message, /not valid JSON/);
  });

  it('records successful sign-ins in the audit log', async () => {
    const user = await buildUser(t.ctx.db);
    await signIn(t.app, user.email, user.password);
    const entry = await t.ctx
      .db('audit_events')
      .where({ event: 'signin.success', subject_user_id: user.id })
      .first();
    assert.ok(entry);
    assert.ok(entry.ip);
  });

  it('answers /healthz with the database state', async () => {
    const res = await supertest(t.app).get('/healthz');
    assert.deepEqual(res.body, { status: 'ok', database: 'ok' });
  });
});

describe('errors before the page set-up (HTTP)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  it('answers an oversized form with a 413 page', async () => {
    const res = await supertest(t.app)
      .post('/signin')
      .type('form')
      .send({ email: 'x'.repeat(1_300_000) }); // above the 1.2 MB a page's longest text needs
    assert.equal(res.status, 413);
    assert.match(res.text, /What you sent is too large/);
    assert.match(res.text, /<html lang="en">/);
  });
});
