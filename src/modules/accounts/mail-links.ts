import type { AppContext } from '../../platform/context.js';
import { audit } from '../../platform/audit.js';
import { NotFound, ValidationFailed } from '../../platform/errors.js';
import type { SessionUser } from '../../platform/http/types.js';
import type { Language } from '../../platform/i18n.js';
import * as repo from './accounts.repo.js';
import { createUser } from './accounts.service.js';
import { consumeToken, issueToken, peekToken } from './one-time-tokens.js';
import { hashPassword } from './passwords.js';
import type { InviteForm } from './accounts.schemas.js';

const HOUR = 3600_000;
const RESET_TTL = 1 * HOUR;
const INVITATION_TTL = 7 * 24 * HOUR;

type Ctx = Pick<AppContext, 'db' | 'mailer' | 'config' | 'i18n'>;

/** Mails a reset link when the account exists; says nothing either way, so accounts cannot be probed. */
export async function requestPasswordReset(ctx: Ctx, email: string, lang: Language): Promise<void> {
  const user = await repo.findUserByEmail(ctx.db, email);
  if (!user || user.status !== 'active') return;
  const token = await issueToken(ctx.db, user.id, 'password_reset', RESET_TTL);
  const t = ctx.i18n.getFixedT(user.language ?? lang);
  await ctx.mailer.send(ctx.db, {
    to: user.email,
    subject: t('accounts:mail.reset.subject'),
    text: t('accounts:mail.reset.body', {
      name: user.name,
      link: `${ctx.config.publicUrl}/password/reset/${token}`,
    }),
  });
}

// A reset link is for an active account only (disabling also deletes the user's links).
export async function resetTokenIsValid(ctx: Ctx, token: string): Promise<boolean> {
  const userId = await peekToken(ctx.db, token, 'password_reset');
  return !!userId && (await repo.findUserById(ctx.db, userId))?.status === 'active';
}

/** Sets the new password and ends all the user's sessions. */
export async function resetPassword(ctx: Ctx, token: string, password: string, ip?: string): Promise<void> {
  const hash = await hashPassword(password);
  await ctx.db.transaction(async (trx) => {
    const userId = await consumeToken(trx, token, 'password_reset');
    const patch = { password_hash: hash, password_changed_at: trx.fn.now() };
    if (!userId || !(await repo.updateUserWithStatus(trx, userId, 'active', patch)))
      throw new NotFound('link');
    await repo.deleteSessionsOfUser(trx, userId);
    await audit(trx, { event: 'password.reset', subjectUserId: userId, ip });
  });
}

export async function inviteUser(
  ctx: Ctx,
  actor: SessionUser,
  form: InviteForm,
  lang: Language,
  ip?: string,
) {
  const user = await createUser(ctx.db, { ...form, status: 'invited' }, actor.id);
  const token = await issueToken(ctx.db, user.id, 'invitation', INVITATION_TTL);
  const t = ctx.i18n.getFixedT(lang);
  await ctx.mailer.send(ctx.db, {
    to: user.email,
    subject: t('accounts:mail.invitation.subject'),
    text: t('accounts:mail.invitation.body', {
      name: user.name,
      inviter: actor.name,
      link: `${ctx.config.publicUrl}/invitations/${token}`,
    }),
  });
  await audit(ctx.db, { event: 'user.invited', actorId: actor.id, subjectUserId: user.id, ip });
  return user;
}

/** The user a valid invitation link is for, while they are still invited (not disabled meanwhile). */
export async function invitedUser(ctx: Ctx, token: string) {
  const id = await peekToken(ctx.db, token, 'invitation');
  const user = id ? await repo.findUserById(ctx.db, id) : undefined;
  return user?.status === 'invited' ? user : undefined;
}

/** Sets the invitee's password and activates them; a link of a user no longer invited is not valid. */
export async function acceptInvitation(ctx: Ctx, token: string, password: string, ip?: string) {
  const hash = await hashPassword(password);
  return ctx.db.transaction(async (trx) => {
    const userId = await consumeToken(trx, token, 'invitation');
    const patch = { password_hash: hash, password_changed_at: trx.fn.now(), status: 'active' as const };
    if (!userId || !(await repo.updateUserWithStatus(trx, userId, 'invited', patch)))
      throw new NotFound('link');
    await audit(trx, { event: 'user.activated', actorId: userId, subjectUserId: userId, ip });
    return userId;
  });
}

export async function register(
  ctx: Ctx,
  form: { email: string; name: string; password: string },
  lang: Language,
  ip?: string,
) {
  if (await repo.findUserByEmail(ctx.db, form.email)) {
    throw new ValidationFailed({ email: 'accounts:errors.emailTaken' });
  }
  const user = await createUser(ctx.db, { ...form, roles: ['learner'], language: lang });
  await audit(ctx.db, { event: 'user.registered', actorId: user.id, subjectUserId: user.id, ip });
  return user;
}
