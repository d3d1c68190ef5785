import assert from 'node:assert/strict';
import supertest from 'supertest';
import { startTestApp, type TestApp } from '../../helpers/http.js';
import { createTestLrsClient, type TestLrsClient } from '../../helpers/lrs.js';

const ACTIVITY = 'http://example.org/activities/alt';
const AGENT = JSON.stringify({ mbox: 'mailto:alt@example.org' });

describe('LRS alternate request syntax (1.0.3)', () => {
  let t: TestApp;
  let client: TestLrsClient;
  const form = (method: string, fields: Record<string, string>) =>
    supertest(t.app)
      .post(`/xapi/activities/state?method=${method}`)
      .type('form')
      .send(new URLSearchParams(fields).toString());

  before(async () => {
    t = await startTestApp();
    client = await createTestLrsClient(t.ctx.db, ['all']);
  });
  after(() => t.close());

  it('takes the method from the query, headers and parameters from the form, the body from content', async () => {
    const put = await form('PUT', {
      Authorization: client.authHeader,
      'X-Experience-API-Version': '1.0.3',
      'Content-Type': 'application/json',
      activityId: ACTIVITY,
      agent: AGENT,
      stateId: 'alt',
      content: JSON.stringify({ via: 'form' }),
    });
    assert.equal(put.status, 204, put.text);
    assert.equal(put.headers['x-experience-api-version'], '1.0.3');
    const get = await form('GET', {
      Authorization: client.authHeader,
      'X-Experience-API-Version': '1.0.3',
      activityId: ACTIVITY,
      agent: AGENT,
      stateId: 'alt',
    });
    assert.equal(get.status, 200);
    assert.deepEqual(JSON.parse(get.text), { via: 'form' });
  });

  it('accepts credentials and version as real headers too', async () => {
    const res = await supertest(t.app)
      .post('/xapi/activities/state?method=GET')
      .set('Authorization', client.authHeader)
      .set('X-Experience-API-Version', '1.0.3')
      .type('form')
      .send(new URLSearchParams({ activityId: ACTIVITY, agent: AGENT }).toString());
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, ['alt']);
  });

  it('refuses it under xAPI 2.0, with other query parameters, outside POST, without content', async () => {
    const base = { Authorization: client.authHeader, activityId: ACTIVITY, agent: AGENT, stateId: 'alt' };
    const v2 = await form('GET', { ...base, 'X-Experience-API-Version': '2.0.0' });
    assert.equal(v2.status, 400);
    assert.match(v2.body.error.message, /removed in xAPI 2\.0/);

    const extra = await supertest(t.app)
      .post(`/xapi/activities/state?method=GET&stateId=alt`)
      .type('form')
      .send(new URLSearchParams({ ...base, 'X-Experience-API-Version': '1.0.3' }).toString());
    assert.equal(extra.status, 400);
    assert.match(extra.body.error.message, /move stateId into the form body/);

    const notPost = await supertest(t.app)
      .put('/xapi/activities/state?method=PUT')
      .set('Authorization', client.authHeader)
      .set('X-Experience-API-Version', '1.0.3');
    assert.equal(notPost.status, 400);
    assert.match(notPost.body.error.message, /only allowed on POST/);

    const noContent = await form('PUT', { ...base, 'X-Experience-API-Version': '1.0.3' });
    assert.equal(noContent.status, 400);
    assert.match(noContent.body.error.message, /"content" form parameter/);

    const badVersion = await form('GET', { ...base, 'X-Experience-API-Version': '0.8' });
    assert.equal(badVersion.status, 400);
    assert.match(badVersion.body.error.message, /"0\.8" is not supported/);

    const json = await supertest(t.app)
      .post('/xapi/activities/state?method=GET')
      .set('Authorization', client.authHeader)
      .set('X-Experience-API-Version', '1.0.3')
      .send({ activityId: ACTIVITY });
    assert.equal(json.status, 400);
    assert.match(json.body.error.message, /application\/x-www-form-urlencoded/);
  });

  it('needs the credentials like any request', async () => {
    const res = await form('GET', {
      'X-Experience-API-Version': '1.0.3',
      activityId: ACTIVITY,
      agent: AGENT,
    });
    assert.equal(res.status, 401);
  });
});
