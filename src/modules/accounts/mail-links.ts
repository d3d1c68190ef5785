import type { AppContext } from '../../platform/context.js';
import { audit } from '../../platform/audit.js';
import { NotFound } from '../../platform/errors.js';
import type { SessionUser } from '../../platform/http/types.js';
import type { Language } from '../../platform/i18n.js';
import * as repo from './accounts.repo.js';
import { createUser } from './accounts.service.js';
import { consumeToken, issueToken, peekToken } from './one-time-tokens.js';
import { hashPassword } from './passwords.js';
import type { InviteForm } from './accounts.schemas.js';

const HOUR = 3600_000;
const RESET_TTL = 1 * HOUR;
export const INVITATION_TTL = 7 * 24 * HOUR;

export type Ctx = Pick<AppContext, 'db' | 'mailer' | 'config' | 'i18n'>;

/** Mails to one address that the forms anyone can post may cause per hour: no flooding a mailbox. */
const MAILS_PER_ADDRESS_PER_HOUR = 3;

export async function mayMailAddress(ctx: Ctx, address: string): Promise<boolean> {
  const [row] = await ctx
    .db('mail_outbox')
    .whereRaw('lower(to_address) = lower(?)', [address])
    .where('created_at', '>', ctx.db.raw("now() - interval '1 hour'"))
    .count({ n: '*' });
  return Number(row!.n) < MAILS_PER_ADDRESS_PER_HOUR;
}

/**
 * Mails a reset link when the account exists and is active; the page says the same either way and is
 * answered before this runs (`afterResponse`), so neither its text nor its timing tells whether it exists.
 * The audit log keeps what was done.
 */
export async function requestPasswordReset(
  ctx: Ctx,
  email: string,
  lang: Language,
  ip?: string,
): Promise<void> {
  const user = await repo.findUserByEmail(ctx.db, email);
  const outcome = !user
    ? 'unknown account'
    : user.status !== 'active'
      ? `account ${user.status}`
      : !(await mayMailAddress(ctx, user.email))
        ? 'too many mails'
        : 'mailed';
  if (user && outcome === 'mailed') {
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
  await audit(ctx.db, {
    event: 'password.reset_requested',
    subjectUserId: user?.id,
    ip,
    details: { email, outcome },
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
