import assert from 'node:assert/strict';
import supertest from 'supertest';
import { startTestApp, type TestApp } from '../../helpers/http.js';
import { createTestLrsClient, xapiHeaders, type TestLrsClient } from '../../helpers/lrs.js';

describe('LRS Agent Profile resource', () => {
  let t: TestApp;
  let client: TestLrsClient;
  const path = '/xapi/agents/profile';
  const ana = JSON.stringify({
    objectType: 'Agent',
    account: { homePage: 'http://example.org', name: 'ana' },
  });
  const ben = JSON.stringify({ mbox_sha1sum: 'a'.repeat(40) });
  const req = () => supertest(t.app);

  before(async () => {
    t = await startTestApp();
    client = await createTestLrsClient(t.ctx.db, ['profile']);
  });
  after(() => t.close());

  it('keeps documents per agent, content type and all', async () => {
    const put = await req()
      .put(path)
      .query({ agent: ana, profileId: 'prefs' })
      .set(xapiHeaders(client))
      .set('If-None-Match', '*')
      .set('Content-Type', 'text/plain; charset=utf-8')
      .send('language=fr');
    assert.equal(put.status, 204);
    // The same agent written another way (no objectType, other key order) is the same agent.
    const same = JSON.stringify({ account: { name: 'ana', homePage: 'http://example.org' } });
    const get = await req().get(path).query({ agent: same, profileId: 'prefs' }).set(xapiHeaders(client));
    assert.equal(get.status, 200);
    assert.equal(get.text, 'language=fr');
    assert.equal(get.headers['content-type'], 'text/plain; charset=utf-8');
    const other = await req().get(path).query({ agent: ben, profileId: 'prefs' }).set(xapiHeaders(client));
    assert.equal(other.status, 404);
    const ids = await req().get(path).query({ agent: ana }).set(xapiHeaders(client));
    assert.deepEqual(ids.body, ['prefs']);
  });

  it('refuses to merge a POST into a document that is not JSON', async () => {
    const res = await req()
      .post(path)
      .query({ agent: ana, profileId: 'prefs' })
      .set(xapiHeaders(client))
      .send({ language: 'de' });
    assert.equal(res.status, 400);
    assert.match(res.body.error.message, /stored document is not a JSON object/);
  });

  it('refuses an invalid agent, a Group and unknown agent properties, naming the reason', async () => {
    const cases: [string, RegExp][] = [
      ['not json', /must be the JSON of an Agent/],
      [JSON.stringify({ objectType: 'Group', mbox: 'mailto:g@example.org' }), /objectType must be "Agent"/],
      [
        JSON.stringify({ mbox: 'mailto:a@example.org', openid: 'http://a.example.org' }),
        /exactly one identifier/,
      ],
      [JSON.stringify({ mbox: 'mailto:a@example.org', age: 3 }), /unknown property "age"/],
      [JSON.stringify({ account: { homePage: 'example', name: 'x' } }), /account.homePage/],
      [JSON.stringify({ mbox_sha1sum: 'xyz' }), /mbox_sha1sum/],
    ];
    for (const [agent, reason] of cases) {
      const res = await req().get(path).query({ agent }).set(xapiHeaders(client));
      assert.equal(res.status, 400, agent);
      assert.match(res.body.error.message, reason);
    }
  });
});
