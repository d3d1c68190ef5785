import { createHash, randomBytes } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import type { Db } from '../../platform/db.js';
import { signingKeys } from './keys.js';

// Open Badges 3.0 credentials as VC-JWT (OB 3.0 §8.2): the OpenBadgeCredential in the `vc` claim,
// signed EdDSA (Ed25519) with the platform key that the issuer profile publishes.
export const ISSUER_NAME = 'WorkCoopHub';
export const issuerId = (publicUrl: string) => `${publicUrl}/certificates/issuer`;
export const keyId = (publicUrl: string) => `${issuerId(publicUrl)}#key-1`;
export const verifyUrl = (publicUrl: string, code: string) => `${publicUrl}/verify/${code}`;
export const achievementId = (publicUrl: string, courseId: string) =>
  `${publicUrl}/certificates/achievements/${courseId}`;

export interface CredentialInput {
  code: string;
  issuedAt: Date;
  email: string;
  courseId: string;
  courseTitle: string;
  courseDescription: string;
  criteria: string;
}

export function openBadgeCredential(publicUrl: string, c: CredentialInput) {
  const salt = randomBytes(8).toString('hex');
  const identityHash =
    'sha256$' +
    createHash('sha256')
      .update(c.email.toLowerCase() + salt)
      .digest('hex');
  return {
    '@context': [
      'https://www.w3.org/ns/credentials/v2',
      'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
    ],
    id: verifyUrl(publicUrl, c.code),
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer: { id: issuerId(publicUrl), type: ['Profile'], name: ISSUER_NAME, url: publicUrl },
    validFrom: c.issuedAt.toISOString(),
    name: c.courseTitle,
    credentialSubject: {
      type: ['AchievementSubject'],
      identifier: [
        { type: 'IdentityObject', identityHash, identityType: 'emailAddress', hashed: true, salt },
      ],
      achievement: {
        id: achievementId(publicUrl, c.courseId),
        type: ['Achievement'],
        achievementType: 'Certificate',
        name: c.courseTitle,
        description: c.courseDescription || c.courseTitle,
        criteria: { narrative: c.criteria },
      },
    },
  };
}

export async function signCredential(db: Db, publicUrl: string, c: CredentialInput): Promise<string> {
  const { privateKey } = await signingKeys(db);
  const vc = openBadgeCredential(publicUrl, c);
  const at = Math.floor(c.issuedAt.getTime() / 1000);
  return new SignJWT({ vc })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid: keyId(publicUrl) })
    .setIssuer(issuerId(publicUrl))
    .setJti(vc.id)
    .setIssuedAt(at)
    .setNotBefore(at)
    .sign(privateKey);
}

/** The code a credential names when its signature is ours and intact; null for anything else. */
export async function checkCredential(db: Db, publicUrl: string, token: string): Promise<string | null> {
  const compact = token.trim().replace(/^"|"$/g, '');
  if (!/^[\w-]+\.[\w-]+\.[\w-]+$/.test(compact) || compact.length > 20_000) return null;
  const { publicKey } = await signingKeys(db);
  try {
    const { payload } = await jwtVerify(compact, publicKey, {
      issuer: issuerId(publicUrl),
      algorithms: ['EdDSA'],
    });
    const prefix = verifyUrl(publicUrl, '');
    const vc = payload.vc as { id?: unknown } | undefined;
    if (typeof payload.jti !== 'string' || !payload.jti.startsWith(prefix) || vc?.id !== payload.jti)
      return null;
    return payload.jti.slice(prefix.length);
  } catch {
    return null;
  }
}
