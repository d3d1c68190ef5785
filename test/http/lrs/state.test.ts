import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import supertest from 'supertest';
import { startTestApp, type TestApp } from '../../helpers/http.js';
import { createTestLrsClient, xapiHeaders, type TestLrsClient } from '../../helpers/lrs.js';

const ACTIVITY = 'http://example.org/activities/course-1';
const AGENT = { objectType: 'Agent', mbox: 'mailto:ana@example.org' };
const REG = '6f0c6a47-2f4b-4f59-9a2e-3c1a4a1d6b10';
const sha1 = (b: Buffer | string) => createHash('sha1').update(b).digest('hex');

describe('LRS State resource', () => {
  let t: TestApp;
  let client: TestLrsClient;
  const q = (extra: Record<string, string> = {}) => ({
    activityId: ACTIVITY,
    agent: JSON.stringify(AGENT),
    ...extra,
  });
  const req = () => supertest(t.app);

  before(async () => {
    t = await startTestApp();
    client = await createTestLrsClient(t.ctx.db, ['state']);
  });
  after(() => t.close());

  it('stores with PUT and returns the document with its ETag, Last-Modified and content type', async () => {
    const body = { progress: 0.5, page: 3 };
    const put = await req()
      .put('/xapi/activities/state')
      .query(q({ stateId: 'bookmark' }))
      .set(xapiHeaders(client))
      .send(body);
    assert.equal(put.status, 204, put.text);
    const get = await req()
      .get('/xapi/activities/state')
      .query(q({ stateId: 'bookmark' }))
      .set(xapiHeaders(client));
    assert.equal(get.status, 200);
    assert.deepEqual(get.body, body);
    assert.match(get.headers['content-type']!, /^application\/json/);
    assert.equal(get.headers.etag, `"${sha1(JSON.stringify(body))}"`);
    assert.ok(get.headers['last-modified']);
    assert.equal(get.headers['x-experience-api-version'], '2.0.0');
  });

  it('answers HEAD like GET without a body', async () => {
    const head = await req()
      .head('/xapi/activities/state')
      .query(q({ stateId: 'bookmark' }))
      .set(xapiHeaders(client));
    assert.equal(head.status, 200);
    assert.ok(head.headers.etag);
    assert.equal(head.text, undefined);
  });

  it('keeps binary content byte-exact with its content type', async () => {
    const bytes = Buffer.from([0, 255, 1, 254, 0x89, 0x50, 0x4e, 0x47, 10, 13]);
    const put = await req()
      .put('/xapi/activities/state')
      .query(q({ stateId: 'blob' }))
      .set(xapiHeaders(client, '1.0.3'))
      .set('Content-Type', 'image/png')
      .send(bytes);
    assert.equal(put.status, 204);
    const get = await req()
      .get('/xapi/activities/state')
      .query(q({ stateId: 'blob' }))
      .set(xapiHeaders(client, '1.0.3'))
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    assert.equal(get.headers['content-type'], 'image/png');
    assert.deepEqual(get.body, bytes);
    assert.equal(get.headers.etag, `"${sha1(bytes)}"`);
  });

  it('merges JSON objects on POST, and refuses to merge what is not a JSON object', async () => {
    const put = await req()
      .put('/xapi/activities/state')
      .query(q({ stateId: 'vars' }))
      .set(xapiHeaders(client, '1.0.3'))
      .send({ x: 'foo', y: 'bar' });
    assert.equal(put.status, 204);
    const post = await req()
      .post('/xapi/activities/state')
      .query(q({ stateId: 'vars' }))
      .set(xapiHeaders(client))
      .send({ x: 'bash', z: 'faz' });
    assert.equal(post.status, 204);
    const get = await req()
      .get('/xapi/activities/state')
      .query(q({ stateId: 'vars' }))
      .set(xapiHeaders(client));
    assert.deepEqual(get.body, { x: 'bash', y: 'bar', z: 'faz' });

    const notJson = await req()
      .post('/xapi/activities/state')
      .query(q({ stateId: 'vars' }))
      .set(xapiHeaders(client))
      .set('Content-Type', 'text/plain')
      .send('hello');
    assert.equal(notJson.status, 400);
    assert.match(notJson.body.error.message, /application\/json/);

    const array = await req()
      .post('/xapi/activities/state')
      .query(q({ stateId: 'vars' }))
      .set(xapiHeaders(client))
      .send([1, 2]);
    assert.equal(array.status, 400);
    assert.match(array.body.error.message, /not a JSON object/);

    const intoBinary = await req()
      .post('/xapi/activities/state')
      .query(q({ stateId: 'blob' }))
      .set(xapiHeaders(client))
      .send({ a: 1 });
    assert.equal(intoBinary.status, 400);
    assert.match(intoBinary.body.error.message, /stored document is not a JSON object/);
  });

  it('creates a document on POST when none exists', async () => {
    const post = await req()
      .post('/xapi/activities/state')
      .query(q({ stateId: 'fresh' }))
      .set(xapiHeaders(client))
      .send({ a: 1 });
    assert.equal(post.status, 204);
    const get = await req()
      .get('/xapi/activities/state')
      .query(q({ stateId: 'fresh' }))
      .set(xapiHeaders(client));
    assert.deepEqual(get.body, { a: 1 });
  });

  it('keeps registrations apart, lists ids with since, and deletes one or all', async () => {
    const put = (stateId: string, registration?: string) =>
      req()
        .put('/xapi/activities/state')
        .query(q({ stateId, ...(registration ? { registration } : {}) }))
        .set(xapiHeaders(client, '1.0.3'))
        .send({ stateId });
    const otherActivity = { activityId: 'http://example.org/activities/other', agent: JSON.stringify(AGENT) };
    const before = new Date(Date.now() - 1000);
    assert.equal((await put('r1', REG)).status, 204);
    await new Promise((r) => setTimeout(r, 20));
    const middle = new Date();
    await new Promise((r) => setTimeout(r, 20));
    assert.equal((await put('r2', REG)).status, 204);
    await req()
      .put('/xapi/activities/state')
      .query({ ...otherActivity, stateId: 'elsewhere' })
      .set(xapiHeaders(client))
      .send({});

    const withReg = await req()
      .get('/xapi/activities/state')
      .query(q({ registration: REG }))
      .set(xapiHeaders(client));
    assert.equal(withReg.status, 200);
    assert.deepEqual(withReg.body, ['r1', 'r2']);
    assert.ok(withReg.headers['last-modified']);

    const since = await req()
      .get('/xapi/activities/state')
      .query(q({ registration: REG, since: middle.toISOString() }))
      .set(xapiHeaders(client));
    assert.deepEqual(since.body, ['r2']);
    const sinceBefore = await req()
      .get('/xapi/activities/state')
      .query(q({ registration: REG, since: before.toISOString() }))
      .set(xapiHeaders(client));
    assert.deepEqual(sinceBefore.body, ['r1', 'r2']);

    // The document stored with a registration is not the one without.
    const noReg = await req()
      .get('/xapi/activities/state')
      .query(q({ stateId: 'r1' }))
      .set(xapiHeaders(client));
    assert.equal(noReg.status, 404);
    assert.match(noReg.body.error.message, /No State document "r1"/);

    const delOne = await req()
      .delete('/xapi/activities/state')
      .query(q({ stateId: 'r1', registration: REG }))
      .set(xapiHeaders(client));
    assert.equal(delOne.status, 204);
    const afterOne = await req()
      .get('/xapi/activities/state')
      .query(q({ registration: REG }))
      .set(xapiHeaders(client));
    assert.deepEqual(afterOne.body, ['r2']);

    const delAll = await req().delete('/xapi/activities/state').query(q()).set(xapiHeaders(client));
    assert.equal(delAll.status, 204);
    const none = await req().get('/xapi/activities/state').query(q()).set(xapiHeaders(client));
    assert.deepEqual(none.body, []);
    const other = await req().get('/xapi/activities/state').query(otherActivity).set(xapiHeaders(client));
    assert.deepEqual(other.body, ['elsewhere']);
  });

  it('under 1.0.3 replaces a State document without preconditions; under 2.0 answers 409', async () => {
    const put = (version: string, body: object, headers: Record<string, string> = {}) =>
      req()
        .put('/xapi/activities/state')
        .query(q({ stateId: 'conc' }))
        .set(xapiHeaders(client, version))
        .set(headers)
        .send(body);
    assert.equal((await put('1.0.3', { v: 1 })).status, 204);
    assert.equal((await put('1.0.3', { v: 2 })).status, 204);
    const conflict = await put('2.0.0', { v: 3 });
    assert.equal(conflict.status, 409);
    assert.match(conflict.body.error.message, /If-Match/);
    const etag = `"${sha1(JSON.stringify({ v: 2 }))}"`;
    assert.equal((await put('2.0.0', { v: 3 }, { 'If-Match': '"0000"' })).status, 412);
    assert.equal((await put('2.0.0', { v: 3 }, { 'If-None-Match': '*' })).status, 412);
    assert.equal((await put('2.0.0', { v: 3 }, { 'If-Match': etag })).status, 204);
    const get = await req()
      .get('/xapi/activities/state')
      .query(q({ stateId: 'conc' }))
      .set(xapiHeaders(client));
    assert.deepEqual(get.body, { v: 3 });
  });

  it('refuses bad parameters with 400 naming the parameter', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ agent: JSON.stringify(AGENT), stateId: 's' }, /"activityId" is required/],
      [
        { activityId: 'not an iri', agent: JSON.stringify(AGENT), stateId: 's' },
        /"activityId" must be an absolute IRI/,
      ],
      [{ activityId: ACTIVITY, stateId: 's' }, /"agent" is required/],
      [{ activityId: ACTIVITY, agent: '{nope', stateId: 's' }, /"agent" must be the JSON/],
      [
        { activityId: ACTIVITY, agent: JSON.stringify({ name: 'x' }), stateId: 's' },
        /exactly one identifier/,
      ],
      [{ activityId: ACTIVITY, agent: JSON.stringify({ mbox: 'ana@example.org' }), stateId: 's' }, /mailto/],
      [
        {
          activityId: ACTIVITY,
          agent: JSON.stringify({ objectType: 'Group', mbox: 'mailto:g@example.org' }),
        },
        /objectType must be "Agent"/,
      ],
      [{ ...q(), registration: 'not-a-uuid', stateId: 's' }, /"registration" must be a UUID/],
      [{ ...q(), since: 'yesterday' }, /"since" must be an ISO 8601 timestamp/],
      [{ ...q(), stateId: 's', colour: 'blue' }, /Unknown parameter "colour"/],
    ];
    for (const [query, reason] of cases) {
      const res = await req().get('/xapi/activities/state').query(query).set(xapiHeaders(client));
      assert.equal(res.status, 400, JSON.stringify(query));
      assert.match(res.body.error.message, reason);
    }
    const putNoId = await req().put('/xapi/activities/state').query(q()).set(xapiHeaders(client)).send({});
    assert.equal(putNoId.status, 400);
    assert.match(putNoId.body.error.message, /"stateId" is required/);
  });

  it('needs the state scope (or all/read to read)', async () => {
    const profileOnly = await createTestLrsClient(t.ctx.db, ['profile']);
    const denied = await req().get('/xapi/activities/state').query(q()).set(xapiHeaders(profileOnly));
    assert.equal(denied.status, 403);
    assert.match(denied.body.error.message, /scope "state"/);
    const reader = await createTestLrsClient(t.ctx.db, ['all/read']);
    const read = await req().get('/xapi/activities/state').query(q()).set(xapiHeaders(reader));
    assert.equal(read.status, 200);
    const write = await req()
      .put('/xapi/activities/state')
      .query(q({ stateId: 'x' }))
      .set(xapiHeaders(reader))
      .send({});
    assert.equal(write.status, 403);
  });
});
