import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import supertest from 'supertest';
import { startTestApp, type TestApp } from '../../helpers/http.js';
import { createTestLrsClient, xapiHeaders, type TestLrsClient } from '../../helpers/lrs.js';
import { disableLrsClient } from '../../../src/modules/lrs/clients.service.js';
import { lrsHttp } from '../../../src/modules/lrs/lrs.routes.js';

const stmt = (n: number) => ({
  actor: { mbox: `mailto:door${n}@example.org` },
  verb: { id: 'http://adlnet.gov/expapi/verbs/experienced' },
  object: { id: `http://example.org/activities/door-${n}` },
});
const invalid = {
  actor: { mbox: 'mailto:door@example.org' },
  verb: { id: 'not an IRI' },
  object: stmt(1).object,
};
// headers whose values are the same in every answer (ids and dates differ)
const STABLE = [
  'content-type',
  'x-content-type-options',
  'x-experience-api-version',
  'access-control-allow-origin',
  'vary',
  'access-control-expose-headers',
  'cross-origin-resource-policy',
];
const stable = (h: Record<string, string>) => Object.fromEntries(STABLE.map((k) => [k, h[k]]));
const names = (h: Record<string, string>) => Object.keys(h).sort();

describe('xAPI front door: POST /xapi/statements before Express', () => {
  let t: TestApp;
  let http: ReturnType<typeof supertest>;
  let door: ReturnType<typeof supertest>;
  before(async function () {
    this.timeout(120_000);
    t = await startTestApp();
    http = supertest(t.app);
    // the door alone: 598 when it leaves a request to the app, 599 when it hands one over after taking it
    const front = lrsHttp(t.ctx).frontDoor('/xapi');
    door = supertest((req: IncomingMessage, res: ServerResponse) => {
      const taken = front(req, res, () => res.writeHead(599).end());
      if (!taken) res.writeHead(598).end();
    });
  });
  after(() => t?.close());

  const post = (agent: ReturnType<typeof supertest>, c: TestLrsClient, body: unknown, version = '2.0.0') =>
    agent
      .post('/xapi/statements')
      .set(xapiHeaders(c, version))
      .set('Origin', 'https://content.example.org')
      .type('application/json')
      .send(JSON.stringify(body));

  it('leaves to the app new credentials, other paths and methods, a query and a bad version', async () => {
    const c = await createTestLrsClient(t.ctx.db, ['all']);
    assert.equal((await post(door, c, stmt(1))).status, 598, 'credentials not verified yet');
    assert.equal((await post(http, c, stmt(1))).status, 200);
    assert.equal((await post(door, c, stmt(2))).status, 200, 'verified by the app just before');
    assert.equal((await door.post('/xapi/statements?x=1').set(xapiHeaders(c)).send('{}')).status, 598);
    assert.equal((await door.post('/xapi/statements/').set(xapiHeaders(c)).send('{}')).status, 598);
    assert.equal((await door.put('/xapi/statements').set(xapiHeaders(c)).send('{}')).status, 598);
    assert.equal((await door.post('/xapi/activities/state').set(xapiHeaders(c)).send('{}')).status, 598);
    assert.equal((await post(door, c, stmt(3), '3.0.0')).status, 598);
    assert.equal((await post(door, c, invalid)).status, 599, 'an error goes to the app');
  });

  it('answers as the router does: the same headers, the ids of the statements stored', async () => {
    const c = await createTestLrsClient(t.ctx.db, ['all']);
    const routed = await post(http, c, stmt(4));
    const direct = await post(door, c, [stmt(5), stmt(6)]);
    assert.equal(routed.status, 200, routed.text);
    assert.equal(direct.status, 200, direct.text);
    assert.deepEqual(names(direct.headers), names(routed.headers));
    assert.deepEqual(stable(direct.headers), stable(routed.headers));
    assert.equal(direct.headers['access-control-allow-origin'], 'https://content.example.org');
    const ids = direct.body as string[];
    // the same ETag as Express's res.json gives for these ids
    const byExpress = await supertest(express().get('/', (_req, res) => void res.json(ids))).get('/');
    assert.equal(direct.headers.etag, byExpress.headers.etag);
    assert.equal(ids.length, 2);
    const got = await http.get('/xapi/statements').query({ statementId: ids[1]! }).set(xapiHeaders(c));
    assert.equal(got.status, 200, got.text);
    assert.deepEqual(got.body.object, stmt(6).object);
  });

  it('lets the app answer its errors as the router would: status, message, language and headers', async () => {
    const fresh = await createTestLrsClient(t.ctx.db, ['all']);
    const known = await createTestLrsClient(t.ctx.db, ['all']);
    assert.equal((await post(http, known, stmt(7))).status, 200);
    for (const version of ['2.0.0', '1.0.3']) {
      const [routed, direct] = await Promise.all(
        [fresh, known].map((c) => post(http, c, invalid, version).set('Accept-Language', 'de')),
      );
      assert.equal(direct!.status, 400, direct!.text);
      assert.equal(direct!.body.error.message, routed!.body.error.message);
      assert.deepEqual(names(direct!.headers), names(routed!.headers));
      assert.deepEqual(stable(direct!.headers), stable(routed!.headers));
      assert.equal(direct!.headers['x-experience-api-version'], version);
      assert.equal(direct!.headers.vary, 'Origin');
    }
    const reader = await createTestLrsClient(t.ctx.db, ['statements/read']);
    assert.equal((await http.get('/xapi/statements').set(xapiHeaders(reader))).status, 200);
    const refused = await post(http, reader, stmt(8));
    assert.equal(refused.status, 403, refused.text);
    assert.ok(refused.headers['x-experience-api-consistent-through']);
  });

  it('refuses credentials at once when they are disabled after they were verified', async () => {
    const c = await createTestLrsClient(t.ctx.db, ['all']);
    assert.equal((await post(http, c, stmt(9))).status, 200);
    assert.equal((await post(http, c, stmt(10))).status, 200);
    await disableLrsClient(t.ctx.db, c.id, {});
    assert.equal((await post(door, c, stmt(11))).status, 598);
    const res = await post(http, c, stmt(11));
    assert.equal(res.status, 401, res.text);
    assert.equal(res.headers['www-authenticate'], 'Basic realm="xAPI"');
  });
});
