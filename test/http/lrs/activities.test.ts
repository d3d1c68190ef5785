import assert from 'node:assert/strict';
import supertest from 'supertest';
import { startTestApp, type TestApp } from '../../helpers/http.js';
import { createTestLrsClient, xapiHeaders, type TestLrsClient } from '../../helpers/lrs.js';
import { mergeDefinitions } from '../../../src/modules/lrs/activities.routes.js';

const ID = 'http://example.org/activities/meeting';

describe('LRS Activities resource', () => {
  let t: TestApp;
  let client: TestLrsClient;
  before(async () => {
    t = await startTestApp();
    client = await createTestLrsClient(t.ctx.db, ['all']);
  });
  after(() => t.close());

  it('merges language maps and extensions, the latest value winning for the rest', () => {
    const merged = mergeDefinitions([
      { name: { 'en-US': 'meeting' }, type: 'http://a/t1', extensions: { 'http://e/1': 1 } },
      { name: { 'fr-FR': 'réunion' }, type: 'http://a/t2', extensions: { 'http://e/2': 2 } },
    ]);
    assert.deepEqual(merged, {
      name: { 'en-US': 'meeting', 'fr-FR': 'réunion' },
      type: 'http://a/t2',
      extensions: { 'http://e/1': 1, 'http://e/2': 2 },
    });
    assert.equal(mergeDefinitions([]), undefined);
  });

  it('returns the canonical definition from every statement that carries one', async () => {
    const stmt = (definition: object, where: 'object' | 'context') => ({
      actor: { mbox: 'mailto:a@example.org' },
      verb: { id: 'http://adlnet.gov/expapi/verbs/attended' },
      object:
        where === 'object'
          ? { objectType: 'Activity', id: ID, definition }
          : { objectType: 'Activity', id: 'http://example.org/activities/other' },
      ...(where === 'context'
        ? { context: { contextActivities: { parent: [{ id: ID, definition }] } } }
        : {}),
    });
    const post = await supertest(t.app)
      .post('/xapi/statements')
      .set(xapiHeaders(client))
      .send([
        stmt({ name: { 'en-US': 'example meeting' }, description: { 'en-US': 'a meeting' } }, 'object'),
        stmt({ name: { 'fr-FR': 'réunion' } }, 'context'),
      ]);
    assert.equal(post.status, 200, post.text);
    const res = await supertest(t.app)
      .get('/xapi/activities')
      .query({ activityId: ID })
      .set(xapiHeaders(client));
    assert.equal(res.status, 200);
    assert.equal(res.body.objectType, 'Activity');
    assert.equal(res.body.id, ID);
    assert.deepEqual(res.body.definition.name, { 'en-US': 'example meeting', 'fr-FR': 'réunion' });
    assert.deepEqual(res.body.definition.description, { 'en-US': 'a meeting' });
  });

  it('returns a bare Activity for an id it has never seen, and answers HEAD', async () => {
    const res = await supertest(t.app)
      .get('/xapi/activities')
      .query({ activityId: 'http://example.org/unknown' })
      .set(xapiHeaders(client));
    assert.deepEqual(res.body, { objectType: 'Activity', id: 'http://example.org/unknown' });
    const head = await supertest(t.app)
      .head('/xapi/activities')
      .query({ activityId: ID })
      .set(xapiHeaders(client));
    assert.equal(head.status, 200);
  });

  it('refuses a missing or invalid activityId and unknown parameters', async () => {
    const missing = await supertest(t.app).get('/xapi/activities').set(xapiHeaders(client));
    assert.equal(missing.status, 400);
    assert.match(missing.body.error.message, /"activityId" is required/);
    const bad = await supertest(t.app)
      .get('/xapi/activities')
      .query({ activityId: 'meeting' })
      .set(xapiHeaders(client));
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /absolute IRI/);
    const extra = await supertest(t.app)
      .get('/xapi/activities')
      .query({ activityId: ID, format: 'exact' })
      .set(xapiHeaders(client));
    assert.equal(extra.status, 400);
    assert.match(extra.body.error.message, /Unknown parameter "format"/);
  });
});
