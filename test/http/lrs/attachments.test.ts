import assert from 'node:assert/strict';
import supertest from 'supertest';
import { startTestApp, type TestApp } from '../../helpers/http.js';
import { createTestLrsClient, xapiHeaders, type TestLrsClient } from '../../helpers/lrs.js';
import { attachmentMeta, multipart, sha256 } from './attachments-multipart.js';

describe('xAPI attachments', () => {
  let t: TestApp;
  let client: TestLrsClient;
  let http: ReturnType<typeof supertest>;
  const stmt = (attachments: unknown[]) => ({
    actor: { mbox: 'mailto:att@example.org' },
    verb: { id: 'http://adlnet.gov/expapi/verbs/attached' },
    object: { id: 'http://ex.org/act/att' },
    attachments,
  });
  const send = (m: { type: string; body: Buffer }) =>
    http.post('/xapi/statements').set(xapiHeaders(client)).set('Content-Type', m.type).send(m.body);

  before(async function () {
    this.timeout(120_000);
    t = await startTestApp();
    client = await createTestLrsClient(t.ctx.db, ['all']);
    http = supertest(t.app);
  });
  after(() => t?.close());

  it('stores attachment data by hash and returns it with attachments=true as multipart/mixed', async () => {
    const data = 'hello attachment \u00e9';
    const res = await send(multipart(stmt([attachmentMeta(data)]), [{ data }]));
    assert.equal(res.status, 200, res.text);
    const [id] = res.body as string[];
    const plain = await http.get('/xapi/statements').query({ statementId: id! }).set(xapiHeaders(client));
    assert.match(plain.headers['content-type']!, /application\/json/);
    const got = await http
      .get('/xapi/statements')
      .query({ statementId: id!, attachments: 'true' })
      .set(xapiHeaders(client))
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    assert.match(got.headers['content-type']!, /^multipart\/mixed; boundary=/);
    const text = (got.body as Buffer).toString('utf8');
    assert.ok(text.includes(`X-Experience-API-Hash: ${sha256(data)}`));
    assert.ok(text.includes(data));
  });

  it('accepts application/json when every attachment has a fileUrl', async () => {
    const res = await http
      .post('/xapi/statements')
      .set(xapiHeaders(client))
      .type('application/json')
      .send(JSON.stringify(stmt([attachmentMeta('x', { fileUrl: 'http://ex.org/file.txt' })])));
    assert.equal(res.status, 200, res.text);
  });

  it('refuses missing, extra, mis-hashed or badly encoded parts', async () => {
    const data = 'some data';
    const cases: [{ type: string; body: Buffer }, RegExp][] = [
      [multipart(stmt([attachmentMeta(data)]), []), /no fileUrl and no multipart part/],
      [multipart(stmt([attachmentMeta(data)]), [{ data }, { data: 'extra' }]), /no statement refers to/],
      [
        multipart(stmt([attachmentMeta(data)]), [{ data, hash: sha256('other') }]),
        /does not match its SHA-2/,
      ],
      [multipart(stmt([attachmentMeta(data)]), [{ data, encoding: null }]), /Content-Transfer-Encoding/],
      [multipart(stmt([attachmentMeta(data)]), [{ data, hash: '' }]), /X-Experience-API-Hash/],
      [{ type: 'multipart/mixed', body: Buffer.from('x') }, /boundary/],
    ];
    for (const [m, re] of cases) {
      const res = await send(m);
      assert.equal(res.status, 400, `${re} → ${res.status} ${res.text}`);
      assert.match(res.body.error.message, re);
    }
    const json = await http
      .post('/xapi/statements')
      .set(xapiHeaders(client))
      .type('application/json')
      .send(JSON.stringify(stmt([attachmentMeta(data)])));
    assert.equal(json.status, 400);
  });
});
