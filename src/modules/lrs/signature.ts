import { compactVerify, decodeProtectedHeader, importX509 } from 'jose';
import { sameStatement, type Statement } from './statements.model.js';

const ALGORITHMS = new Set(['RS256', 'RS384', 'RS512']);

/**
 * Checks a signed statement (Data 2.6): the JWS (compact serialization) uses RS256/384/512, its
 * payload is the statement as the spec compares statements, and when the header carries an X.509
 * chain (x5c) the signature verifies against its first certificate. Returns the reason of a refusal.
 */
export async function checkSignature(jws: string, statement: Statement): Promise<string | null> {
  const parts = jws.trim().split('.');
  if (parts.length !== 3) return 'the signature is not a JWS in compact serialization';
  let header: ReturnType<typeof decodeProtectedHeader>;
  let payload: unknown;
  try {
    header = decodeProtectedHeader(jws.trim());
    payload = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
  } catch {
    return 'the signature is not a well-formed JWS (header or payload cannot be decoded)';
  }
  if (!header.alg || !ALGORITHMS.has(header.alg))
    return `the signature uses algorithm "${header.alg ?? ''}"; only RS256, RS384 and RS512 are allowed`;
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
    return 'the signature payload is not a statement';
  if (header.x5c?.length) {
    try {
      const pem = `-----BEGIN CERTIFICATE-----\n${header.x5c[0]}\n-----END CERTIFICATE-----`;
      await compactVerify(jws.trim(), await importX509(pem, header.alg));
    } catch {
      return 'the signature does not verify against the certificate in its x5c header';
    }
  }
  const signed = payload as Statement;
  if (!sameStatement(withoutSignature(signed), withoutSignature(statement)))
    return 'the signed payload does not match the statement';
  return null;
}

function withoutSignature(s: Statement): Statement {
  const { attachments: _a, ...rest } = s;
  return rest;
}
