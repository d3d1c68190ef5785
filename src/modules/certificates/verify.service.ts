import type { Db } from '../../platform/db.js';
import * as repo from './certificates.repo.js';
import { normaliseCode } from './code.js';
import { checkCredential } from './credential.js';

export type Verdict =
  | { state: 'valid'; certificate: repo.CertificateRow }
  | { state: 'revoked'; certificate: repo.CertificateRow }
  | { state: 'unknown' };

/** What the database says of a code: an edited PDF or a guessed code changes nothing here. */
export async function verifyCode(db: Db, input: string): Promise<Verdict> {
  const code = normaliseCode(input);
  const certificate = code ? await repo.findByCode(db, code) : undefined;
  if (!certificate) return { state: 'unknown' };
  return { state: certificate.revoked_at ? 'revoked' : 'valid', certificate };
}

/** A pasted or uploaded credential: its signature first, then the state of the certificate it names. */
export async function verifyCredential(
  db: Db,
  publicUrl: string,
  token: string,
): Promise<Verdict | { state: 'invalid' }> {
  const code = await checkCredential(db, publicUrl, token);
  if (!code) return { state: 'invalid' };
  return verifyCode(db, code);
}
