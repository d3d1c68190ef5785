import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CompactSign, importPKCS8 } from 'jose';
import supertest from 'supertest';
import { startTestApp, type TestApp } from '../../helpers/http.js';
import { createTestLrsClient, xapiHeaders, type TestLrsClient } from '../../helpers/lrs.js';
import { attachmentMeta, multipart } from './attachments-multipart.js';

const SIGNATURE = 'http://adlnet.gov/expapi/attachments/signature';

/** A throw-away RSA key and a self-signed certificate for it (openssl), for the x5c header. */
function testCertificate(): { keyPem: string; certDer: string } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wch-sign-'));
  const keyFile = path.join(dir, 'key.pem');
  fs.writeFileSync(keyFile, keyPem);
  const cert = execFileSync('openssl', [
    'req',
    '-new',
    '-x509',
    '-key',
    keyFile,
    '-subj',
    '/CN=xapi-test',
    '-days',
    '1',
    '-outform',
    'DER',
  ]);
  fs.rmSync(dir, { recursive: true, force: true });
  return { keyPem, certDer: cert.toString('base64') };
}

describe('xAPI signed statements', () => {
  let t: TestApp;
  let client: TestLrsClient;
  let http: ReturnType<typeof supertest>;
  let cert: { keyPem: string; certDer: string };
  const statement = () => ({
    actor: { mbox: 'mailto:signer@example.org' },
    verb: { id: 'http://adlnet.gov/expapi/verbs/passed' },
    object: { id: 'http://ex.org/act/signed' },
    result: { duration: 'PT1M2.12S' },
  });
  async function sign(payload: unknown, alg = 'RS256', x5c = true): Promise<string> {
    const key = await importPKCS8(cert.keyPem, alg);
    return new CompactSign(Buffer.from(JSON.stringify(payload)))
      .setProtectedHeader({ alg, ...(x5c ? { x5c: [cert.certDer] } : {}) })
      .sign(key);
  }
  const sendSigned = (s: Record<string, unknown>, jws: string) => {
    const m = multipart(
      {
        ...s,
        attachments: [attachmentMeta(jws, { usageType: SIGNATURE, contentType: 'application/octet-stream' })],
      },
      [{ data: jws, type: 'application/octet-stream' }],
    );
    return http.post('/xapi/statements').set(xapiHeaders(client)).set('Content-Type', m.type).send(m.body);
  };

  before(async function () {
    this.timeout(120_000);
    t = await startTestApp();
    client = await createTestLrsClient(t.ctx.db, ['all']);
    http = supertest(t.app);
    cert = testCertificate();
  });
  after(() => t?.close());

  it('accepts a statement whose JWS payload is the statement and verifies against x5c', async () => {
    const s = statement();
    const res = await sendSigned(s, await sign(s, 'RS384'));
    assert.equal(res.status, 200, res.text);
    // precision of the duration beyond hundredths is not significant
    const res2 = await sendSigned(
      { ...s, result: { duration: 'PT1M2.1234S' } },
      await sign({ ...s, result: { duration: 'PT1M2.12S' } }),
    );
    assert.equal(res2.status, 200, res2.text);
  });

  it('refuses a payload that differs, a bad algorithm, a broken signature and a malformed JWS', async () => {
    const s = statement();
    const differs = await sendSigned(
      s,
      await sign({ ...s, verb: { id: 'http://adlnet.gov/expapi/verbs/failed' } }),
    );
    assert.equal(differs.status, 400);
    assert.match(differs.body.error.message, /does not match the statement/);
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const es = await new CompactSign(Buffer.from(JSON.stringify(s)))
      .setProtectedHeader({ alg: 'ES256' })
      .sign(privateKey);
    const alg = await sendSigned(s, es);
    assert.equal(alg.status, 400);
    assert.match(alg.body.error.message, /RS256/);
    const good = await sign(s);
    const [h, p] = good.split('.');
    const broken = await sendSigned(s, `${h}.${p}.${Buffer.from('not the signature').toString('base64url')}`);
    assert.equal(broken.status, 400);
    assert.match(broken.body.error.message, /does not verify/);
    const malformed = await sendSigned(s, 'not-a-jws');
    assert.equal(malformed.status, 400);
  });
});
