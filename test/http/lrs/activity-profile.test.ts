import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import supertest from 'supertest';
import { startTestApp, type TestApp } from '../../helpers/http.js';
import { createTestLrsClient, xapiHeaders, type TestLrsClient } from '../../helpers/lrs.js';

const ACTIVITY = 'http://example.org/activities/quiz';
const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');

describe('LRS Activity Profile resource', () => {
  let t: TestApp;
  let client: TestLrsClient;
  const path = '/xapi/activities/profile';
  const req = () => supertest(t.app);
  const put = (profileId: string, body: object, headers: Record<string, string> = {}, version = '2.0.0') =>
    req()
      .put(path)
      .query({ activityId: ACTIVITY, profileId })
      .set(xapiHeaders(client, version))
      .set(headers)
      .send(body);

  before(async () => {
    t = await startTestApp();
    client = await createTestLrsClient(t.ctx.db, ['profile']);
  });
  after(() => t.close());

  it('creates with If-None-Match: *, and refuses a second create with 412', async () => {
    assert.equal((await put('p1', { a: 1 }, { 'If-None-Match': '*' })).status, 204);
    const again = await put('p1', { a: 2 }, { 'If-None-Match': '*' });
    assert.equal(again.status, 412);
    assert.match(again.body.error.message, /already exists/);
    const get = await req()
      .get(path)
      .query({ activityId: ACTIVITY, profileId: 'p1' })
      .set(xapiHeaders(client));
    assert.deepEqual(get.body, { a: 1 });
    assert.equal(get.headers.etag, `"${sha1(JSON.stringify({ a: 1 }))}"`);
  });

  it('refuses a PUT without precondition: 400 for a new document, 409 for an existing one (both versions)', async () => {
    for (const version of ['1.0.3', '2.0.0']) {
      const fresh = await put(`new-${version}`, { a: 1 }, {}, version);
      assert.equal(fresh.status, 400);
      assert.match(fresh.body.error.message, /If-None-Match/);
      const existing = await put('p1', { a: 3 }, {}, version);
      assert.equal(existing.status, 409);
      assert.match(existing.body.error.message, /Check its current state.*If-Match/);
    }
    const get = await req()
      .get(path)
      .query({ activityId: ACTIVITY, profileId: 'p1' })
      .set(xapiHeaders(client));
    assert.deepEqual(get.body, { a: 1 }, 'unchanged');
  });

  it('replaces with the right If-Match, and refuses a stale one with 412', async () => {
    const etag = `"${sha1(JSON.stringify({ a: 1 }))}"`;
    const stale = await put('p1', { a: 4 }, { 'If-Match': '"deadbeef"' });
    assert.equal(stale.status, 412);
    assert.match(stale.body.error.message, /does not match/);
    const ok = await put('p1', { a: 4 }, { 'If-Match': etag });
    assert.equal(ok.status, 204);
    const missing = await put('nope', { a: 4 }, { 'If-Match': etag });
    assert.equal(missing.status, 412);
  });

  it('merges on POST, honours If-Match on POST and DELETE, lists ids with since', async () => {
    const before = new Date(Date.now() - 1000).toISOString();
    const post = await req()
      .post(path)
      .query({ activityId: ACTIVITY, profileId: 'p1' })
      .set(xapiHeaders(client))
      .send({ b: 2 });
    assert.equal(post.status, 204);
    const get = await req()
      .get(path)
      .query({ activityId: ACTIVITY, profileId: 'p1' })
      .set(xapiHeaders(client));
    assert.deepEqual(get.body, { a: 4, b: 2 });

    const stalePost = await req()
      .post(path)
      .query({ activityId: ACTIVITY, profileId: 'p1' })
      .set(xapiHeaders(client))
      .set('If-Match', '"0"')
      .send({ c: 3 });
    assert.equal(stalePost.status, 412);

    const ids = await req().get(path).query({ activityId: ACTIVITY, since: before }).set(xapiHeaders(client));
    assert.deepEqual(ids.body, ['p1']);
    const none = await req()
      .get(path)
      .query({ activityId: ACTIVITY, since: new Date(Date.now() + 60_000).toISOString() })
      .set(xapiHeaders(client));
    assert.deepEqual(none.body, []);

    const staleDelete = await req()
      .delete(path)
      .query({ activityId: ACTIVITY, profileId: 'p1' })
      .set(xapiHeaders(client))
      .set('If-Match', '"0"');
    assert.equal(staleDelete.status, 412);
    const del = await req()
      .delete(path)
      .query({ activityId: ACTIVITY, profileId: 'p1' })
      .set(xapiHeaders(client))
      .set('If-Match', get.headers.etag!);
    assert.equal(del.status, 204);
    const gone = await req()
      .get(path)
      .query({ activityId: ACTIVITY, profileId: 'p1' })
      .set(xapiHeaders(client));
    assert.equal(gone.status, 404);
    const head = await req()
      .head(path)
      .query({ activityId: ACTIVITY, profileId: 'p1' })
      .set(xapiHeaders(client));
    assert.equal(head.status, 404);
  });

  it('refuses DELETE without profileId, an agent parameter, and clients without the profile scope', async () => {
    const noId = await req().delete(path).query({ activityId: ACTIVITY }).set(xapiHeaders(client));
    assert.equal(noId.status, 400);
    assert.match(noId.body.error.message, /"profileId" is required/);
    const withAgent = await req()
      .get(path)
      .query({ activityId: ACTIVITY, agent: JSON.stringify({ mbox: 'mailto:a@example.org' }) })
      .set(xapiHeaders(client));
    assert.equal(withAgent.status, 400);
    assert.match(withAgent.body.error.message, /Unknown parameter "agent"/);
    const stateOnly = await createTestLrsClient(t.ctx.db, ['state']);
    const denied = await req().get(path).query({ activityId: ACTIVITY }).set(xapiHeaders(stateOnly));
    assert.equal(denied.status, 403);
  });

  it('answers 405 to other methods', async () => {
    const res = await req().patch(path).query({ activityId: ACTIVITY }).set(xapiHeaders(client));
    assert.equal(res.status, 405);
    assert.match(res.body.error.message, /PATCH is not allowed/);
  });
});
