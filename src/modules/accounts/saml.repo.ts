import type { Db } from '../../platform/db.js';
import type { Role } from '../../platform/http/types.js';
import type { Language } from '../../platform/i18n.js';

/** external_identities.provider for the cooperative's IdP. */
export const SAML_PROVIDER = 'saml';

export interface SamlSettingsRow {
  id: 1;
  idp_metadata: string | null;
  idp_name: string | null;
  group_map: Record<string, { roles?: Role[]; groups?: string[] }> | null;
  sp_private_key: string | null;
  sp_certificate: string | null;
  updated_by: string | null;
  created_at: Date;
  updated_at: Date;
}

export const findSettings = (db: Db): Promise<SamlSettingsRow | undefined> =>
  db<SamlSettingsRow>('saml_settings').where({ id: 1 }).first();

/** The settings' version, to know cheaply whether an admin changed them. */
export async function settingsVersion(db: Db): Promise<string> {
  const row = (await db('saml_settings').where({ id: 1 }).first('updated_at')) as
    { updated_at: Date } | undefined;
  return row ? new Date(row.updated_at).toISOString() : 'none';
}

export async function updateSettings(
  db: Db,
  patch: Partial<Pick<SamlSettingsRow, 'idp_metadata' | 'idp_name' | 'updated_by'>> & {
    group_map?: SamlSettingsRow['group_map'];
  },
): Promise<void> {
  const values: Record<string, unknown> = { ...patch, updated_at: db.fn.now() };
  if ('group_map' in patch)
    values.group_map = patch.group_map === null ? null : JSON.stringify(patch.group_map);
  await db('saml_settings')
    .insert({ id: 1, ...values })
    .onConflict('id')
    .merge(Object.keys(values));
}

/** Keeps a generated key pair unless another process stored one first; returns the one that won. */
export async function keepSpCredentials(
  db: Db,
  c: { privateKey: string; certificate: string },
): Promise<{ privateKey: string; certificate: string }> {
  await db('saml_settings').insert({ id: 1 }).onConflict('id').ignore();
  await db('saml_settings')
    .where({ id: 1 })
    .whereNull('sp_private_key')
    .update({ sp_private_key: c.privateKey, sp_certificate: c.certificate });
  const row = (await findSettings(db))!;
  return { privateKey: row.sp_private_key!, certificate: row.sp_certificate! };
}

export async function findIdentityUserId(db: Db, subject: string): Promise<string | undefined> {
  const row = (await db('external_identities')
    .where({ provider: SAML_PROVIDER, subject })
    .first('user_id')) as { user_id: string } | undefined;
  return row?.user_id;
}

export const hasSamlIdentity = async (db: Db, userId: string) =>
  (await db('external_identities').where({ provider: SAML_PROVIDER, user_id: userId }).first('id')) !==
  undefined;

export const insertIdentity = (db: Db, userId: string, subject: string) =>
  db('external_identities').insert({ user_id: userId, provider: SAML_PROVIDER, subject });

/** What we learnt from the IdP about a person, kept while a link waits for their password. */
export interface SamlIdentity {
  subject: string;
  email: string;
  name: string;
  language: Language | null;
  idpGroups: string[];
  session: SamlSessionInfo;
}

/** What a later single logout needs; kept in the session as `saml`. */
export interface SamlSessionInfo {
  nameID: string;
  nameIDFormat: string;
  nameQualifier?: string;
  spNameQualifier?: string;
  sessionIndex?: string;
}

export async function insertPendingLink(
  db: Db,
  userId: string,
  identity: SamlIdentity,
  ttlMs: number,
): Promise<string> {
  await db('saml_pending_links').where({ subject: identity.subject }).delete();
  const [row] = (await db('saml_pending_links')
    .insert({
      user_id: userId,
      subject: identity.subject,
      identity: JSON.stringify(identity),
      expires_at: new Date(Date.now() + ttlMs),
    })
    .returning('id')) as { id: string }[];
  return row!.id;
}

export interface PendingLinkRow {
  id: string;
  user_id: string;
  subject: string;
  identity: SamlIdentity;
  expires_at: Date;
}

export const findPendingLink = (db: Db, id: string): Promise<PendingLinkRow | undefined> =>
  db<PendingLinkRow>('saml_pending_links').where({ id }).where('expires_at', '>', new Date()).first();

/** Takes the pending link once; a second use finds nothing. */
export async function takePendingLink(db: Db, id: string): Promise<PendingLinkRow | undefined> {
  const rows: PendingLinkRow[] = await db('saml_pending_links')
    .where({ id })
    .where('expires_at', '>', new Date())
    .delete()
    .returning('*');
  return rows[0];
}

export const deletePendingLink = (db: Db, id: string) => db('saml_pending_links').where({ id }).delete();

export type GrantKind = 'role' | 'group';

export async function listGrants(db: Db, userId: string, kind: GrantKind): Promise<string[]> {
  const rows: { value: string }[] = await db('saml_grants').where({ user_id: userId, kind }).select('value');
  return rows.map((r) => r.value);
}

export async function addGrants(db: Db, userId: string, kind: GrantKind, values: string[]): Promise<void> {
  if (!values.length) return;
  await db('saml_grants')
    .insert(values.map((value) => ({ user_id: userId, kind, value })))
    .onConflict(['user_id', 'kind', 'value'])
    .ignore();
}

export async function removeGrants(db: Db, userId: string, kind: GrantKind, values: string[]): Promise<void> {
  if (!values.length) return;
  await db('saml_grants').where({ user_id: userId, kind }).whereIn('value', values).delete();
}

/**
 * Ends the sessions that a SAML sign-in of this NameID opened (IdP-initiated logout reaches us without
 * the user's cookie). With a SessionIndex, only the sessions of that IdP session.
 */
export async function deleteSamlSessions(db: Db, nameID: string, sessionIndexes: string[]): Promise<number> {
  const rows: { sid: string }[] = await db('sessions')
    .whereRaw(`sess -> 'saml' ->> 'nameID' = ?`, [nameID])
    .modify((q) => {
      if (sessionIndexes.length)
        q.whereRaw(
          `sess -> 'saml' ->> 'sessionIndex' in (${sessionIndexes.map(() => '?').join(', ')})`,
          sessionIndexes,
        );
    })
    .delete()
    .returning('sid');
  return rows.length;
}
