import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import type { SamlConfig, SamlGroupMap } from '../../platform/config.js';
import { audit } from '../../platform/audit.js';
import type { Db } from '../../platform/db.js';
import type { Role, SessionUser } from '../../platform/http/types.js';
import { LANGUAGES, type Language } from '../../platform/i18n.js';
import { deleteMember, findGroupByName, insertMember } from '../groups/index.js';
import * as accounts from './accounts.repo.js';
import { createUser, verifyCredentials } from './accounts.service.js';
import type { SamlSetup } from './saml.config.js';
import type { VerifiedSignIn } from './saml.protocol.js';
import * as repo from './saml.repo.js';
import { SamlRefused } from './saml.xml.js';

type Ctx = Pick<AppContext, 'config' | 'db' | 'logger'>;

const PENDING_LINK_TTL_MS = 15 * 60_000;
const EMAIL_FORMAT = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';
const MAIL_OID = 'urn:oid:0.9.2342.19200300.100.1.3';

export type SamlSignIn =
  | { kind: 'signedIn'; user: SessionUser; session: repo.SamlSessionInfo }
  | { kind: 'linkPending'; pendingId: string };

const values = (v: unknown): string[] =>
  (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string');
const first = (v: unknown) =>
  values(v)
    .map((s) => s.trim())
    .find(Boolean);

/** The person as the IdP describes them, read from the configured attribute names. */
export function identityFrom(v: VerifiedSignIn, names: SamlConfig['attributes']): repo.SamlIdentity {
  const a = v.attributes;
  const email =
    first(a[names.email]) ??
    first(a.mail) ??
    first(a[MAIL_OID]) ??
    (v.nameIDFormat === EMAIL_FORMAT ? v.nameID : undefined);
  if (!email || !z.email().safeParse(email).success || email.length > 254)
    throw new SamlRefused('no valid email attribute', 'saml:failure.missingEmail');
  const name = (first(a[names.name]) ?? email.split('@')[0]!).slice(0, 120);
  const lang = first(a[names.language])?.toLowerCase().split(/[-_]/)[0];
  return {
    subject: v.nameID,
    email,
    name,
    language: LANGUAGES.includes(lang as Language) ? (lang as Language) : null,
    idpGroups: values(a[names.groups])
      .map((g) => g.trim())
      .filter(Boolean)
      .slice(0, 500),
    session: v.session,
  };
}

/**
 * Signs in the member the IdP vouched for: their linked account, or a new one (just in time); an existing
 * local account with the same email waits for its password before it is linked.
 */
export async function samlSignIn(
  ctx: Ctx,
  setup: SamlSetup,
  identity: repo.SamlIdentity,
  ip: string,
): Promise<SamlSignIn> {
  const { db } = ctx;
  const linkedId = await repo.findIdentityUserId(db, identity.subject);
  if (linkedId) {
    const user = await accounts.findUserById(db, linkedId);
    if (!user || user.status !== 'active')
      throw new SamlRefused(`account ${user?.status ?? 'missing'}`, 'saml:failure.disabled');
    const changes = await db.transaction((trx) =>
      applyGroupMap(trx, ctx, setup.groupMap, user, identity.idpGroups),
    );
    await audit(db, {
      event: 'saml.signin',
      actorId: user.id,
      subjectUserId: user.id,
      ip,
      details: { nameID: identity.subject, ...changes.summary },
    });
    return {
      kind: 'signedIn',
      user: { ...accounts.toSessionUser(user), roles: changes.roles },
      session: identity.session,
    };
  }

  const existing = await accounts.findUserByEmail(db, identity.email);
  if (existing) {
    if (existing.status === 'disabled') throw new SamlRefused('account disabled', 'saml:failure.disabled');
    if (await repo.hasSamlIdentity(db, existing.id))
      throw new SamlRefused(
        'the account with this email is linked to another NameID',
        'saml:failure.linkedElsewhere',
      );
    if (existing.status !== 'active' || !existing.password_hash)
      throw new SamlRefused('the account with this email has no password yet', 'saml:failure.notActivated');
    const pendingId = await repo.insertPendingLink(db, existing.id, identity, PENDING_LINK_TTL_MS);
    await audit(db, {
      event: 'saml.link_requested',
      subjectUserId: existing.id,
      ip,
      details: { nameID: identity.subject },
    });
    return { kind: 'linkPending', pendingId };
  }

  const user = await db.transaction(async (trx) => {
    const mapped = mappedRoles(setup.groupMap, identity.idpGroups);
    const created = await createUser(trx, {
      email: identity.email,
      name: identity.name,
      roles: mapped.length ? mapped : ['learner'],
      language: identity.language ?? undefined,
    });
    await repo.insertIdentity(trx, created.id, identity.subject);
    await repo.addGrants(trx, created.id, 'role', mapped);
    const changes = await applyGroupMap(trx, ctx, setup.groupMap, created, identity.idpGroups);
    await audit(trx, {
      event: 'saml.signin',
      actorId: created.id,
      subjectUserId: created.id,
      ip,
      details: { nameID: identity.subject, created: true, roles: created.roles, ...changes.summary },
    });
    return created;
  });
  return { kind: 'signedIn', user: accounts.toSessionUser(user), session: identity.session };
}

export type LinkResult =
  | { ok: true; user: SessionUser; session: repo.SamlSessionInfo }
  | { ok: false; reason: 'expired' | 'invalid' }
  | { ok: false; reason: 'locked'; retryAfterSeconds: number };

/** Links the pending IdP identity once the person proved they own the local account by its password. */
export async function confirmLink(
  ctx: Ctx,
  setup: SamlSetup,
  pendingId: string,
  password: string,
  ip: string,
): Promise<LinkResult> {
  const { db, config } = ctx;
  const pending = await repo.findPendingLink(db, pendingId);
  const user = pending && (await accounts.findUserById(db, pending.user_id));
  if (!pending || !user) return { ok: false, reason: 'expired' };
  const limits = { maxFailures: config.signInMaxFailures, windowMs: config.signInWindowMs };
  const checked = await verifyCredentials(db, limits, user.email, password, ip);
  if (!checked.ok) return checked;
  const taken = await repo.takePendingLink(db, pendingId);
  if (!taken) return { ok: false, reason: 'expired' };
  const identity = taken.identity;
  const roles = await db.transaction(async (trx) => {
    await repo.insertIdentity(trx, user.id, identity.subject);
    const changes = await applyGroupMap(trx, ctx, setup.groupMap, user, identity.idpGroups);
    await audit(trx, {
      event: 'saml.link',
      actorId: user.id,
      subjectUserId: user.id,
      ip,
      details: { nameID: identity.subject },
    });
    await audit(trx, {
      event: 'saml.signin',
      actorId: user.id,
      subjectUserId: user.id,
      ip,
      details: { nameID: identity.subject, linked: true, ...changes.summary },
    });
    return changes.roles;
  });
  return { ok: true, user: { ...accounts.toSessionUser(user), roles }, session: identity.session };
}

/** The email of the local account a pending link waits for, for the page that asks its password. */
export async function pendingLinkEmail(db: Db, pendingId: string): Promise<string | null> {
  const pending = await repo.findPendingLink(db, pendingId);
  const user = pending && (await accounts.findUserById(db, pending.user_id));
  return user?.email ?? null;
}

export const mappedRoles = (map: SamlGroupMap, idpGroups: string[]): Role[] => [
  ...new Set(idpGroups.flatMap((g) => (Object.hasOwn(map, g) ? (map[g]!.roles ?? []) : []))),
];

const mappedGroups = (map: SamlGroupMap, idpGroups: string[]): string[] => [
  ...new Set(idpGroups.flatMap((g) => (Object.hasOwn(map, g) ? (map[g]!.groups ?? []) : []))),
];

/**
 * Gives the roles and platform groups the IdP groups map to, and takes back those that an earlier SAML
 * sign-in gave and the IdP no longer grants. Roles and groups given by hand are never touched.
 */
async function applyGroupMap(
  trx: Db,
  ctx: Ctx,
  map: SamlGroupMap,
  user: accounts.UserWithRoles,
  idpGroups: string[],
): Promise<{ roles: Role[]; summary: Record<string, string[]> }> {
  const wantRoles = mappedRoles(map, idpGroups);
  const grantedRoles = (await repo.listGrants(trx, user.id, 'role')) as Role[];
  const rolesAdded = wantRoles.filter((r) => !user.roles.includes(r));
  const rolesRemoved = grantedRoles.filter((r) => !wantRoles.includes(r) && user.roles.includes(r));
  let roles = user.roles;
  if (rolesAdded.length || rolesRemoved.length) {
    roles = [...user.roles.filter((r) => !rolesRemoved.includes(r)), ...rolesAdded].sort();
    if (!roles.length) roles = ['learner'];
    await accounts.replaceRoles(trx, user.id, roles);
  }
  await repo.addGrants(trx, user.id, 'role', rolesAdded);
  await repo.removeGrants(
    trx,
    user.id,
    'role',
    grantedRoles.filter((r) => !wantRoles.includes(r)),
  );

  const wantGroups = mappedGroups(map, idpGroups);
  const grantedGroups = await repo.listGrants(trx, user.id, 'group');
  const groupsJoined: string[] = [];
  for (const name of wantGroups) {
    const group = await findGroupByName(trx, name);
    if (!group) {
      ctx.logger.warn({ group: name }, 'SAML group map names a platform group that does not exist');
      continue;
    }
    if (await insertMember(trx, { groupId: group.id, userId: user.id, addedBy: null })) {
      groupsJoined.push(group.name);
      await repo.addGrants(trx, user.id, 'group', [group.name]);
    }
  }
  const groupsLeft: string[] = [];
  for (const name of grantedGroups.filter(
    (g) => !wantGroups.some((w) => w.toLowerCase() === g.toLowerCase()),
  )) {
    const group = await findGroupByName(trx, name);
    if (group && (await deleteMember(trx, group.id, user.id))) groupsLeft.push(group.name);
    await repo.removeGrants(trx, user.id, 'group', [name]);
  }
  const summary = Object.fromEntries(
    Object.entries({ rolesAdded, rolesRemoved, groupsJoined, groupsLeft }).filter(([, v]) => v.length),
  );
  return { roles, summary };
}
