import type { Db } from '../../platform/db.js';
import type { Actor, Agent, Scope } from './lrs.types.js';

export interface LaunchRestriction {
  actor: Agent;
  registration: string;
  activityId?: string;
}

export interface LrsClientRow {
  id: string;
  kind: 'client' | 'launch';
  name: string;
  key: string;
  secret_hash: Uint8Array;
  scopes: Scope[];
  authority: Actor;
  launch: LaunchRestriction | null;
  expires_at: Date | null;
  enabled: boolean;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

export type NewLrsClient = Pick<LrsClientRow, 'kind' | 'name' | 'key' | 'scopes' | 'authority'> & {
  secretHash: Buffer;
  launch?: LaunchRestriction | null;
  expiresAt?: Date | null;
  createdBy?: string | null;
};

export const findClientByKey = (db: Db, key: string) =>
  db<LrsClientRow>('lrs_clients').where({ key }).first();

export const findClientById = (db: Db, id: string) =>
  db<LrsClientRow>('lrs_clients').where({ id, kind: 'client' }).first();

export async function insertClient(db: Db, c: NewLrsClient): Promise<LrsClientRow> {
  const [row] = await db('lrs_clients')
    .insert({
      kind: c.kind,
      name: c.name,
      key: c.key,
      secret_hash: c.secretHash,
      scopes: JSON.stringify(c.scopes),
      authority: JSON.stringify(c.authority),
      launch: c.launch ? JSON.stringify(c.launch) : null,
      expires_at: c.expiresAt ?? null,
      created_by: c.createdBy ?? null,
    })
    .returning('*');
  return row as LrsClientRow;
}

/** Clients admins made (launch credentials are many and short-lived: not listed). */
export const listClients = (db: Db) =>
  db<LrsClientRow>('lrs_clients').where({ kind: 'client' }).orderBy('created_at', 'desc');

export const setClientEnabled = (db: Db, id: string, enabled: boolean) =>
  db('lrs_clients').where({ id }).update({ enabled, updated_at: db.fn.now() });

/** Launch credentials expired for more than a day are of no use to anyone. */
export const deleteExpiredLaunchCredentials = (db: Db, before: Date) =>
  db('lrs_clients').where({ kind: 'launch' }).andWhere('expires_at', '<', before).delete();
