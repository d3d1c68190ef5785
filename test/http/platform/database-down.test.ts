import assert from 'node:assert/strict';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import knexFactory from 'knex';
import supertest from 'supertest';
import { databaseAnswers } from '../../../src/platform/db.js';
import { startTestApp, type TestApp } from '../../helpers/http.js';

describe('when the database is gone (HTTP)', function () {
  this.timeout(60_000);
  let t: TestApp;
  // Outside mocha, Node ends the process on an unhandled rejection; mocha only re-emits it, so catch it here.
  const unhandled: unknown[] = [];
  const collect = (reason: unknown) => void unhandled.push(reason);
  before(async () => {
    t = await startTestApp();
    process.on('unhandledRejection', collect);
  });
  after(() => void process.off('unhandledRejection', collect));

  it('answers pages with a 500 page and its request id, /healthz with 503, and keeps running', async () => {
    const visitor = supertest.agent(t.app);
    assert.equal((await visitor.get('/signin')).status, 200, 'a session exists before the database goes');
    await t.close();

    // Each of these reads or writes the session: the store's failure must reach the error page, not the process.
    for (const res of [await visitor.get('/signin'), await supertest(t.app).get('/courses')]) {
      assert.equal(res.status, 500);
      assert.match(res.text, new RegExp(String(res.headers['x-request-id'])));
    }
    const health = await supertest(t.app).get('/healthz');
    assert.equal(health.status, 503);
    assert.deepEqual(health.body, { status: 'unavailable', database: 'unreachable' });
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(unhandled.map(String), [], 'no rejection left unhandled (it would end the process)');
  });
});

describe('databaseAnswers', () => {
  it('says no, in time, when the server takes the connection and never answers', async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const db = knexFactory({
      client: 'pg',
      // the pool gives up connecting after a second, so that closing it does not wait on the silent server
      connection: {
        connectionString: `postgres://nobody@127.0.0.1:${port}/none`,
        connectionTimeoutMillis: 1000,
      },
      pool: { min: 0, max: 1 },
    });
    try {
      assert.equal(await databaseAnswers(db, 300), false);
    } finally {
      for (const s of sockets) s.destroy();
      await db.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
