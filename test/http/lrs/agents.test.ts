import assert from 'node:assert/strict';
import supertest from 'supertest';
import { startTestApp, type TestApp } from '../../helpers/http.js';
import { createTestLrsClient, xapiHeaders, type TestLrsClient } from '../../helpers/lrs.js';

describe('LRS Agents resource', () => {
  let t: TestApp;
  let client: TestLrsClient;
  before(async () => {
    t = await startTestApp();
    client = await createTestLrsClient(t.ctx.db, ['all']);
  });
  after(() => t.close());

  it('returns the Person with every name the agent was given', async () => {
    const post = await supertest(t.app)
      .post('/xapi/statements')
      .set(xapiHeaders(client))
      .send([
        {
          actor: { name: 'Ana Silva', mbox: 'mailto:ana@example.org' },
          verb: { id: 'http://adlnet.gov/expapi/verbs/attended' },
          object: { id: 'http://example.org/a' },
        },
        {
          actor: { mbox: 'mailto:ben@example.org' },
          verb: { id: 'http://adlnet.gov/expapi/verbs/mentored' },
          object: { objectType: 'Agent', name: 'A. Silva', mbox: 'mailto:ana@example.org' },
        },
      ]);
    assert.equal(post.status, 200, post.text);
    const res = await supertest(t.app)
      .get('/xapi/agents')
      .query({ agent: JSON.stringify({ mbox: 'mailto:ana@example.org' }) })
      .set(xapiHeaders(client));
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, {
      objectType: 'Person',
      name: ['A. Silva', 'Ana Silva'],
      mbox: ['mailto:ana@example.org'],
    });
  });

  it('returns a Person for an agent it has never seen, from the request alone', async () => {
    const agent = { name: 'Zoë', account: { homePage: 'http://example.org', name: 'zoe' } };
    const res = await supertest(t.app)
      .get('/xapi/agents')
      .query({ agent: JSON.stringify(agent) })
      .set(xapiHeaders(client));
    assert.deepEqual(res.body, { objectType: 'Person', name: ['Zoë'], account: [agent.account] });
  });

  it('refuses a missing or invalid agent, and clients without statements/read', async () => {
    const missing = await supertest(t.app).get('/xapi/agents').set(xapiHeaders(client));
    assert.equal(missing.status, 400);
    assert.match(missing.body.error.message, /"agent" is required/);
    const group = await supertest(t.app)
      .get('/xapi/agents')
      .query({ agent: JSON.stringify({ objectType: 'Group', mbox: 'mailto:g@example.org' }) })
      .set(xapiHeaders(client));
    assert.equal(group.status, 400);
    const writer = await createTestLrsClient(t.ctx.db, ['statements/write']);
    const denied = await supertest(t.app)
      .get('/xapi/agents')
      .query({ agent: JSON.stringify({ mbox: 'mailto:ana@example.org' }) })
      .set(xapiHeaders(writer));
    assert.equal(denied.status, 403);
    assert.match(denied.body.error.message, /statements\/read/);
  });
});
