import { randomBytes } from 'node:crypto';
import { audit } from '../../platform/audit.js';
import type { Db } from '../../platform/db.js';
import { NotFound } from '../../platform/errors.js';
import { forgetCredential, hashSecret } from './auth.js';
import * as repo from './clients.repo.js';
import type { Agent, Scope } from './lrs.types.js';

export interface NewClientInput {
  name: string;
  scopes: Scope[];
  /** Only for the conformance server and tests: a chosen key and secret. */
  key?: string;
  secret?: string;
}

export interface IssuedCredential {
  key: string;
  secret: string;
  /** `Basic base64(key:secret)`, ready for the Authorization header. */
  authHeader: string;
}

export const newKey = () => randomBytes(16).toString('hex');
export const newSecret = () => randomBytes(32).toString('base64url');
export const basicHeader = (key: string, secret: string) =>
  `Basic ${Buffer.from(`${key}:${secret}`, 'utf8').toString('base64')}`;

/** The Agent put in `authority` of what a client stores: an account at this platform named by the key. */
export const clientAuthority = (publicUrl: string, key: string, name: string): Agent => ({
  objectType: 'Agent',
  name,
  account: { homePage: publicUrl, name: key },
});

/** Creates an LRS client; its secret is returned here once and stored only as a hash. */
export async function createLrsClient(
  db: Db,
  input: NewClientInput,
  by: { publicUrl: string; actorId?: string | null; ip?: string | null },
): Promise<{ client: repo.LrsClientRow } & IssuedCredential> {
  const key = input.key ?? newKey();
  const secret = input.secret ?? newSecret();
  const scopes = input.scopes.length
    ? [...new Set(input.scopes)]
    : (['statements/write', 'statements/read/mine'] as Scope[]);
  const client = await db.transaction(async (trx) => {
    const row = await repo.insertClient(trx, {
      kind: 'client',
      name: input.name,
      key,
      secretHash: hashSecret(secret),
      scopes,
      authority: clientAuthority(by.publicUrl, key, input.name),
      createdBy: by.actorId ?? null,
    });
    await audit(trx, {
      event: 'lrs.client_created',
      actorId: by.actorId ?? null,
      ip: by.ip ?? null,
      details: { clientId: row.id, name: row.name, key, scopes },
    });
    return row;
  });
  return { client, key, secret, authHeader: basicHeader(key, secret) };
}

/** A disabled client gets 401 at once in this process, within ~30 s in others. */
export async function disableLrsClient(
  db: Db,
  id: string,
  by: { actorId?: string | null; ip?: string | null },
): Promise<repo.LrsClientRow> {
  return db.transaction(async (trx) => {
    const client = await repo.findClientById(trx, id);
    if (!client) throw new NotFound('lrs client');
    await repo.setClientEnabled(trx, id, false);
    await audit(trx, {
      event: 'lrs.client_disabled',
      actorId: by.actorId ?? null,
      ip: by.ip ?? null,
      details: { clientId: id, name: client.name, key: client.key },
    });
    forgetCredential(client.key);
    return { ...client, enabled: false };
  });
}
