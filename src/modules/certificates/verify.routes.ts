import busboy from 'busboy';
import { Router, type Request } from 'express';
import type { AppContext } from '../../platform/context.js';
import { BadRequest } from '../../platform/errors.js';
import { clientIp } from '../../platform/http/guards.js';
import { groupedCode } from './code.js';
import { ISSUER_NAME, issuerId, keyId, verifyUrl } from './credential.js';
import { signingKeys } from './keys.js';
import { countVerification } from './rate-limit.js';
import { verifyCode, verifyCredential } from './verify.service.js';

const MAX_CREDENTIAL_BYTES = 64 * 1024;

/** The credential from a multipart form: the uploaded file, else the pasted text. */
function readCredential(req: Request): Promise<string> {
  return new Promise((resolve, reject) => {
    if (!req.is('multipart/form-data')) {
      const body = req.body as { credential?: unknown } | undefined;
      return resolve(typeof body?.credential === 'string' ? body.credential : '');
    }
    let pasted = '';
    let file = '';
    let tooBig = false;
    const bb = busboy({
      headers: req.headers,
      limits: { files: 1, fileSize: MAX_CREDENTIAL_BYTES, fields: 5, fieldSize: MAX_CREDENTIAL_BYTES },
    });
    bb.on('field', (name, value, info) => {
      if (info.valueTruncated) tooBig = true;
      if (name === 'credential') pasted = value;
    });
    bb.on('file', (_name, stream) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('limit', () => (tooBig = true));
      stream.on('end', () => (file = Buffer.concat(chunks).toString('utf8')));
    });
    bb.on('close', () =>
      tooBig ? reject(new BadRequest('certificates:verify.tooLarge')) : resolve(file.trim() || pasted),
    );
    bb.on('error', () => reject(new BadRequest('certificates:verify.unreadable')));
    req.pipe(bb);
  });
}

/** Public: /verify (no sign-in), the issuer profile and its key. */
export function verifyRoutes(ctx: AppContext): Router {
  const r = Router();
  const { db, config } = ctx;

  r.get('/verify', (req, res) => {
    if (typeof req.query.code === 'string' && req.query.code.trim())
      return res.redirect(
        303,
        `/verify/${encodeURIComponent(req.query.code.trim().replace(/[\s-]/g, '').toUpperCase())}`,
      );
    res.render('certificates/verify', { title: req.t('certificates:verify.title') });
  });

  r.get('/verify/:code', async (req, res) => {
    await countVerification(db, clientIp(req));
    const verdict = await verifyCode(db, req.params.code);
    res.status(verdict.state === 'unknown' ? 404 : 200).render('certificates/verdict', {
      title: req.t(`certificates:verify.state.${verdict.state}`),
      verdict,
      code:
        verdict.state === 'unknown' ? req.params.code.slice(0, 64) : groupedCode(verdict.certificate.code),
      fromCredential: false,
    });
  });

  r.post('/verify/credential', async (req, res) => {
    await countVerification(db, clientIp(req));
    const token = await readCredential(req);
    if (!token.trim()) throw new BadRequest('certificates:verify.empty');
    const verdict = await verifyCredential(db, config.publicUrl, token);
    res.status(verdict.state === 'invalid' ? 422 : 200).render('certificates/verdict', {
      title: req.t(`certificates:verify.state.${verdict.state}`),
      verdict,
      code: 'certificate' in verdict ? groupedCode(verdict.certificate.code) : '',
      fromCredential: true,
    });
  });

  r.get('/certificates/issuer', async (_req, res) => {
    const keys = await signingKeys(db);
    const id = issuerId(config.publicUrl);
    res.type('application/ld+json').json({
      '@context': [
        'https://www.w3.org/ns/credentials/v2',
        'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
        'https://w3id.org/security/multikey/v1',
        'https://w3id.org/security/jwk/v1',
      ],
      id,
      type: ['Profile'],
      name: ISSUER_NAME,
      url: config.publicUrl,
      verificationMethod: [
        {
          id: keyId(config.publicUrl),
          type: 'Multikey',
          controller: id,
          publicKeyMultibase: keys.publicMultibase,
        },
        {
          id: `${id}#jwk-1`,
          type: 'JsonWebKey',
          controller: id,
          publicKeyJwk: { ...keys.publicJwk, kid: keyId(config.publicUrl), alg: 'EdDSA', use: 'sig' },
        },
      ],
      assertionMethod: [keyId(config.publicUrl)],
      verifyUrlTemplate: verifyUrl(config.publicUrl, '{code}'),
    });
  });

  r.get('/certificates/issuer/jwks.json', async (_req, res) => {
    const keys = await signingKeys(db);
    res.json({ keys: [{ ...keys.publicJwk, kid: keyId(config.publicUrl), alg: 'EdDSA', use: 'sig' }] });
  });

  return r;
}
