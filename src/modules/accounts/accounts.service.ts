import type { Db } from '../../platform/db.js';
import { audit } from '../../platform/audit.js';
import { Conflict, Forbidden, NotFound, ValidationFailed } from '../../platform/errors.js';
import type { Role, SessionUser } from '../../platform/http/types.js';
import type { Language } from '../../platform/i18n.js';
import * as repo from './accounts.repo.js';
import { hashPassword, verifyPassword, dummyHash } from './passwords.js';
import { clearFailures, reserveAttempt, type SignInLimits } from './sign-in-limit.js';
import { mayChangeOwnAccess } from './accounts.policy.js';
import { deleteUnusedTokens } from './one-time-tokens.js';
import type { CreateUserInput } from './accounts.schemas.js';

export async function createUser(
  db: Db,
  input: CreateUserInput & { status?: repo.UserStatus },
  actorId?: string,
): Promise<repo.UserWithRoles> {
  const taken = () => new ValidationFailed({ email: 'accounts:errors.emailTaken' });
  if (await repo.findUserByEmail(db, input.email)) throw taken();
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  try {
    return await db.transaction(async (trx) => {
      const user = await repo.insertUser(trx, {
        email: input.email,
        name: input.name,
        passwordHash,
        status: input.status ?? 'active',
        language: input.language ?? null,
      });
      const roles: Role[] = input.roles.length ? input.roles : ['learner'];
      await repo.replaceRoles(trx, user.id, roles);
      await audit(trx, { event: 'user.created', actorId, subjectUserId: user.id, details: { roles } });
      return { ...user, roles };
    });
  } catch (err) {
    // Two requests for one address (in any case) can pass the check above at once: the unique index decides.
    if (repo.isEmailTakenError(err)) throw taken();
    throw err;
  }
}

export type SignInResult =
  | { ok: true; user: SessionUser }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'locked'; retryAfterSeconds: number };

/** One generic failure for unknown account, wrong password, disabled or invited user. */
export async function verifyCredentials(
  db: Db,
  limits: SignInLimits,
  email: string,
  password: string,
  ip: string,
): Promise<SignInResult> {
  // The attempt counts as a failure from here on, so parallel guesses cannot overtake the limit.
  const locked = await reserveAttempt(db, email, ip, limits);
  if (locked > 0) {
    await audit(db, { event: 'signin.locked', ip, details: { email } });
    return { ok: false, reason: 'locked', retryAfterSeconds: locked };
  }
  const user = await repo.findUserByEmail(db, email);
  const valid = user?.password_hash
    ? await verifyPassword(user.password_hash, password)
    : (await verifyPassword(await dummyHash(), password), false);
  if (!user || !valid || user.status !== 'active') {
    const why = !user ? 'unknown account' : !valid ? 'wrong password' : `account ${user.status}`;
    await audit(db, { event: 'signin.failure', subjectUserId: user?.id, ip, details: { email, why } });
    return { ok: false, reason: 'invalid' };
  }
  await clearFailures(db, email);
  await audit(db, { event: 'signin.success', actorId: user.id, subjectUserId: user.id, ip });
  return { ok: true, user: repo.toSessionUser(user) };
}

export interface PasswordPolicy {
  localSignIn: boolean;
  breakGlassEmails: string[];
}

/**
 * With local sign-in off (LOCAL_SIGNIN=false) a password still works for break-glass admins: the admins
 * listed in BREAK_GLASS_EMAILS, or every admin when that list is empty.
 */
export function mayUsePassword(policy: PasswordPolicy, user: { email: string; roles: Role[] }): boolean {
  if (policy.localSignIn) return true;
  if (!user.roles.includes('admin')) return false;
  return !policy.breakGlassEmails.length || policy.breakGlassEmails.includes(user.email.toLowerCase());
}

/** True (and audited) when the policy forbids this password sign-in; it takes as long as checking a password. */
export async function passwordSignInRefused(
  db: Db,
  policy: PasswordPolicy,
  email: string,
  ip: string,
): Promise<boolean> {
  if (policy.localSignIn) return false;
  const user = await repo.findUserByEmail(db, email);
  if (user && mayUsePassword(policy, user)) return false;
  await verifyPassword(await dummyHash(), email);
  const why = 'local sign-in is off';
  await audit(db, { event: 'signin.failure', subjectUserId: user?.id, ip, details: { email, why } });
  return true;
}

/** The user as a session sees it, or null when they may no longer be signed in. */
export async function sessionUser(db: Db, id: string): Promise<SessionUser | null> {
  const user = await repo.findUserById(db, id);
  return user && user.status === 'active' ? repo.toSessionUser(user) : null;
}

/** Changing the password ends every other session of the user. */
export async function changePassword(
  db: Db,
  userId: string,
  current: string,
  next: string,
  keepSid: string,
): Promise<void> {
  const user = await repo.findUserById(db, userId);
  if (!user) throw new NotFound('user');
  if (!user.password_hash || !(await verifyPassword(user.password_hash, current))) {
    throw new ValidationFailed({ current: 'accounts:errors.currentPasswordWrong' });
  }
  await setPassword(db, userId, next, keepSid);
  await audit(db, { event: 'password.changed', actorId: userId, subjectUserId: userId });
}

export async function setPassword(db: Db, userId: string, plain: string, keepSid?: string): Promise<void> {
  const hash = await hashPassword(plain);
  await db.transaction(async (trx) => {
    await repo.updateUser(trx, userId, { password_hash: hash, password_changed_at: trx.fn.now() });
    await repo.deleteSessionsOfUser(trx, userId, keepSid);
  });
}

/** Refuses a change that would leave no active admin; call it under repo.lockAdmins, before the change. */
async function keepAnActiveAdmin(trx: Db, userId: string): Promise<void> {
  if ((await repo.countOtherActiveAdmins(trx, userId)) === 0) throw new Conflict('accounts:errors.lastAdmin');
}

/**
 * Role and status changes read the user under the admins' lock: two admins who take each other's
 * admin role (or disable each other) at once run one after the other, and the second is refused.
 */
export async function setRoles(db: Db, actor: SessionUser, userId: string, roles: Role[], ip?: string) {
  const next: Role[] = roles.length ? roles : ['learner'];
  await db.transaction(async (trx) => {
    await repo.lockAdmins(trx);
    const user = await repo.findUserById(trx, userId);
    if (!user) throw new NotFound('user');
    const takesAdmin = user.roles.includes('admin') && !next.includes('admin');
    if (takesAdmin && !mayChangeOwnAccess(actor, userId)) throw new Forbidden('accounts:errors.ownAdminRole');
    if (takesAdmin && user.status === 'active') await keepAnActiveAdmin(trx, userId);
    await repo.replaceRoles(trx, userId, next);
    await audit(trx, {
      event: 'user.roles_changed',
      actorId: actor.id,
      subjectUserId: userId,
      ip,
      details: { from: user.roles, to: next },
    });
  });
}

/** A disabled user's sessions and mailed links end at once; they cannot sign in again until enabled. */
export async function setDisabled(
  db: Db,
  actor: SessionUser,
  userId: string,
  disabled: boolean,
  ip?: string,
) {
  if (!mayChangeOwnAccess(actor, userId)) throw new Forbidden('accounts:errors.disableSelf');
  await db.transaction(async (trx) => {
    await repo.lockAdmins(trx);
    const user = await repo.findUserById(trx, userId);
    if (!user) throw new NotFound('user');
    if (user.status === 'invited' && !disabled) throw new Conflict('accounts:errors.stillInvited');
    const takesAdmin = disabled && user.status === 'active' && user.roles.includes('admin');
    if (takesAdmin) await keepAnActiveAdmin(trx, userId);
    await repo.updateUser(trx, userId, { status: disabled ? 'disabled' : 'active' });
    if (disabled) {
      await repo.deleteSessionsOfUser(trx, userId);
      await deleteUnusedTokens(trx, userId);
    }
    await audit(trx, {
      event: disabled ? 'user.disabled' : 'user.enabled',
      actorId: actor.id,
      subjectUserId: userId,
      ip,
    });
  });
}

export const setLanguage = (db: Db, userId: string, language: Language) =>
  repo.updateUser(db, userId, { language });
