import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import supertest from 'supertest';
import { stopForwarding } from '../../../src/modules/lrs/forwarding.js';
import { signIn, startTestApp, type TestApp } from '../../helpers/http.js';
import { buildUser } from '../../factories.js';
import { createTestLrsClient, xapiHeaders, type TestLrsClient } from '../../helpers/lrs.js';

/** A tiny external LRS on a loopback port: records POSTed statements, fails while asked to. */
function externalLrs() {
  const received: { id: string; verb: { id: string } }[] = [];
  const auths: string[] = [];
  let failures = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      auths.push(String(req.headers.authorization));
      if (failures > 0) {
        failures--;
        res.writeHead(503).end('external LRS is down');
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof received;
      received.push(...body);
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body.map((s) => s.id)));
    });
  });
  return {
    received,
    auths,
    failNext: (n: number) => (failures = n),
    listen: () =>
      new Promise<number>((r) =>
        server.listen(0, '127.0.0.1', () => r((server.address() as AddressInfo).port)),
      ),
    close: () => new Promise((r) => server.close(r)),
  };
}

const until = async (check: () => boolean | Promise<boolean>, ms = 15_000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
};

describe('forwarding statements to an external LRS', () => {
  const external = externalLrs();
  let t: TestApp;
  let client: TestLrsClient;
  const PASSED = 'http://adlnet.gov/expapi/verbs/passed';
  const stmt = (verb: string) => ({
    actor: { mbox: 'mailto:fwd@example.org' },
    verb: { id: verb },
    object: { id: 'http://ex.org/act/fwd' },
  });
  const post = (body: unknown) =>
    supertest(t.app)
      .post('/xapi/statements')
      .set(xapiHeaders(client))
      .type('application/json')
      .send(JSON.stringify(body));

  before(async function () {
    this.timeout(120_000);
    const port = await external.listen();
    t = await startTestApp({
      LRS_FORWARD_ENDPOINT: `http://127.0.0.1:${port}/xapi`,
      LRS_FORWARD_KEY: 'fwd-key',
      LRS_FORWARD_SECRET: 'fwd-secret',
      LRS_FORWARD_VERBS: PASSED,
    });
    client = await createTestLrsClient(t.ctx.db, ['all']);
  });
  after(async () => {
    stopForwarding();
    await external.close();
    await t?.close();
  });

  it('forwards the statements of the filter, at least once, retrying with back-off after a failure', async function () {
    this.timeout(30_000);
    external.failNext(1);
    const res = await post([stmt(PASSED), stmt('http://adlnet.gov/expapi/verbs/failed'), stmt(PASSED)]);
    assert.equal(res.status, 200);
    const [a, , c] = res.body as string[];
    // the first attempt fails: the queue keeps the statements with the error
    await until(async () =>
      Boolean((await t.ctx.db('lrs_forward_queue').whereNotNull('last_error').first()) as unknown),
    );
    const row = (await t.ctx.db('lrs_forward_queue').first()) as { attempts: number; last_error: string };
    assert.match(row.last_error, /external LRS is down/);
    await until(() => external.received.length >= 2);
    assert.deepEqual(new Set(external.received.map((s) => s.id)), new Set([a, c]));
    assert.ok(external.received.every((s) => s.verb.id === PASSED));
    assert.equal(external.auths[0], `Basic ${Buffer.from('fwd-key:fwd-secret').toString('base64')}`);
    await until(async () => Number((await t.ctx.db('lrs_forward_queue').count({ n: '*' }).first())?.n) === 0);
  });

  it('shows backlog and last error on the admin page data', async () => {
    const { forwardingStatus } = await import('../../../src/modules/lrs/forwarding.js');
    const status = await forwardingStatus(t.ctx.db, t.ctx.config.lrsForward);
    assert.equal(status.enabled, true);
    assert.equal(status.backlog, 0);
    assert.match(status.lastError?.message ?? '', /external LRS is down/);
    assert.ok(status.lastSent);
    const admin = await buildUser(t.ctx.db, { roles: ['admin'] });
    const page = await (await signIn(t.app, admin.email, admin.password)).get('/admin/lrs/forwarding');
    assert.equal(page.status, 200);
    assert.match(page.text, /external LRS is down/);
    const learner = await buildUser(t.ctx.db, { roles: ['learner'] });
    assert.equal(
      (await (await signIn(t.app, learner.email, learner.password)).get('/admin/lrs/forwarding')).status,
      403,
    );
  });
});
