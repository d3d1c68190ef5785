import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import supertest from 'supertest';
import type { Express } from 'express';
import { createApp } from '../../../src/app.js';
import { contentSigner, createContentApp } from '../../../src/modules/packages/index.js';
import type { Database } from '../../../src/platform/db.js';
import type { FileStorage } from '../../../src/platform/storage.js';
import { testConfig } from '../../helpers/config.js';
import { createTestDatabase } from '../../helpers/db.js';

/** A logger whose lines the test can read. */
function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const text: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      text.push(chunk.toString());
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines, text };
}

describe('request log, request ids and JSON for /api (HTTP)', function () {
  this.timeout(60_000); // the app migrates a fresh database; slow on a busy machine
  let database: Database;
  let app: Express;
  let log: ReturnType<typeof capturingLogger>;
  const config = testConfig();

  before(async () => {
    database = await createTestDatabase();
    log = capturingLogger();
    ({ app } = await createApp({ config, db: database.db, logger: log.logger }));
  });
  after(() => database.close());

  const accessLine = (reqId: string) =>
    log.lines.find(
      (l) => (l.req as { id?: string } | undefined)?.id === reqId && l.msg === 'request completed',
    );

  it('keeps the CSRF token of a query (multipart forms), of a Referer and of the header out of the access log', async () => {
    const res = await supertest(app)
      .get('/courses?page=1&_csrf=QUERYSECRET123&x=2')
      .set('X-CSRF-Token', 'HEADERSECRET456')
      .set('Referer', 'http://localhost:3000/packages/upload?_csrf=REFERERSECRET789');
    const line = accessLine(String(res.headers['x-request-id']));
    assert.ok(line, 'an access log line');
    const req = line.req as { url: string; query: Record<string, string>; headers: Record<string, string> };
    assert.equal(req.url, '/courses?page=1&_csrf=[Redacted]&x=2');
    assert.deepEqual(req.query, { page: '1', _csrf: '[Redacted]', x: '2' });
    assert.equal(req.headers['x-csrf-token'], '[Redacted]');
    assert.equal(req.headers.referer, 'http://localhost:3000/packages/upload?_csrf=[Redacted]');
    assert.doesNotMatch(log.text.join(''), /QUERYSECRET123|HEADERSECRET456|REFERERSECRET789/);
  });

  it('answers /api and everything under it with JSON, /apiary with a page', async () => {
    for (const path of ['/api', '/api/', '/api/nothing/here']) {
      const res = await supertest(app).get(path);
      assert.equal(res.status, 404, path);
      assert.match(String(res.headers['content-type']), /^application\/json/, path);
      assert.equal(res.body.error.status, 404, path);
      assert.equal(res.body.error.requestId, res.headers['x-request-id'], path);
    }
    const page = await supertest(app).get('/apiary');
    assert.equal(page.status, 404);
    assert.match(String(page.headers['content-type']), /^text\/html/);
  });

  it('logs a content origin failure with the id it answers', async () => {
    const broken = {
      open: () => Promise.reject(new Error('disk gone')),
    } as unknown as FileStorage;
    const content = await createContentApp({ config, db: database.db, logger: log.logger, storage: broken });
    const signer = await contentSigner({ db: database.db, config });
    const pkg = '00000000-0000-4000-8000-000000000000';
    const res = await supertest(content).get(signer.basePath(pkg, 1, 60) + 'index.html');
    assert.equal(res.status, 500);
    const reqId = String(res.headers['x-request-id']);
    assert.match(reqId, /^[0-9a-f-]{36}$/);
    assert.ok(res.text.includes(reqId), 'the page quotes the id');
    const line = log.lines.find((l) => l.msg === 'content origin error');
    assert.equal(line?.reqId, reqId);
    assert.equal((line?.err as { message?: string } | undefined)?.message, 'disk gone');
  });
});
