import { randomBytes } from 'node:crypto';
import type { Db } from '../../src/platform/db.js';
import { createLrsClient } from '../../src/modules/lrs/clients.service.js';
import type { Scope } from '../../src/modules/lrs/lrs.types.js';

export interface TestLrsClient {
  id: string;
  key: string;
  secret: string;
  /** `Basic …` for the Authorization header. */
  authHeader: string;
}

/** An LRS client with these scopes, its authority an account at http://localhost:3000 (the test PUBLIC_URL). */
export async function createTestLrsClient(db: Db, scopes: Scope[] = ['all']): Promise<TestLrsClient> {
  const { client, key, secret, authHeader } = await createLrsClient(
    db,
    { name: `test client ${randomBytes(3).toString('hex')}`, scopes },
    { publicUrl: 'http://localhost:3000' },
  );
  return { id: client.id, key, secret, authHeader };
}

/** The headers every xAPI request carries: credentials and the version. */
export function xapiHeaders(
  auth: { authHeader: string } | string,
  version = '2.0.0',
): Record<string, string> {
  return {
    Authorization: typeof auth === 'string' ? auth : auth.authHeader,
    'X-Experience-API-Version': version,
  };
}
