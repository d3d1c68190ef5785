import { createPrivateKey, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { Db } from '../../platform/db.js';
import { platformSecret } from '../../platform/secrets.js';

// The platform's Ed25519 signing key: its 32-byte seed is the start of a platform secret, made once and
// kept in the database (src/platform/secrets.ts), so every process signs and verifies with the same key.
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');

export interface SigningKeys {
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicJwk: JsonWebKey;
  /** did:key style multibase (base58btc of 0xed01 + the raw public key) */
  publicMultibase: string;
}

const cache = new Map<string, SigningKeys>();

export async function signingKeys(db: Db): Promise<SigningKeys> {
  const secret = await platformSecret(db, 'certificates-ed25519');
  const hit = cache.get(secret);
  if (hit) return hit;
  const seed = Buffer.from(secret, 'base64url').subarray(0, 32);
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const publicKey = createPublicKey(privateKey);
  const publicJwk = publicKey.export({ format: 'jwk' });
  const raw = Buffer.from(publicJwk.x as string, 'base64url');
  const keys = {
    privateKey,
    publicKey,
    publicJwk,
    publicMultibase: 'z' + base58(Buffer.concat([Buffer.from([0xed, 0x01]), raw])),
  };
  cache.set(secret, keys);
  return keys;
}

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
function base58(bytes: Buffer): string {
  let n = BigInt('0x' + (bytes.toString('hex') || '0'));
  let out = '';
  while (n > 0n) {
    out = ALPHABET[Number(n % 58n)] + out;
    n /= 58n;
  }
  for (const b of bytes) {
    if (b !== 0) break;
    out = '1' + out;
  }
  return out;
}
