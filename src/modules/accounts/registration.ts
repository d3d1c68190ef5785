import { audit } from '../../platform/audit.js';
import { ValidationFailed } from '../../platform/errors.js';
import type { Language } from '../../platform/i18n.js';
import * as repo from './accounts.repo.js';
import { createUser } from './accounts.service.js';
import { mayMailAddress, type Ctx } from './mail-links.js';
import { issueToken } from './one-time-tokens.js';

/** A confirmation link for a self-registration is for the owner of the mailbox only: one day is plenty. */
const CONFIRMATION_TTL = 24 * 3600_000;

/**
 * Open registration: the visitor gives a name and an address, and the address's owner finishes the account
 * from a mailed link (the invitation page) by choosing a password. So nobody gets an account for an address
 * that is not theirs, and the page, the same whatever the address, tells nothing of who has an account:
 * a member who registers again is mailed a pointer to sign-in and password reset instead. Like the
 * forgotten-password form, it runs after the answer (`afterResponse`), and the audit log keeps its outcome.
 */
export async function register(
  ctx: Ctx,
  form: { email: string; name: string },
  lang: Language,
  ip?: string,
): Promise<void> {
  let user = await repo.findUserByEmail(ctx.db, form.email);
  let outcome: string;
  if (user?.status === 'disabled') outcome = 'account disabled';
  else if (!(await mayMailAddress(ctx, form.email))) outcome = 'too many mails';
  else if (user?.status === 'active') {
    await mailExistingAccount(ctx, user.email, user.language ?? lang);
    outcome = 'already a member';
  } else {
    user ??= await createLearner(ctx, form, lang);
    if (!user) outcome = 'registered at the same moment';
    else {
      await mailConfirmation(ctx, user.id, user.email, lang);
      outcome = 'confirmation mailed';
    }
  }
  await audit(ctx.db, {
    event: 'user.registered',
    actorId: user?.status === 'active' ? null : user?.id,
    subjectUserId: user?.id,
    ip,
    details: { email: form.email, outcome },
  });
}

async function createLearner(ctx: Ctx, form: { email: string; name: string }, lang: Language) {
  try {
    return await createUser(ctx.db, { ...form, roles: ['learner'], status: 'invited', language: lang });
  } catch (err) {
    if (err instanceof ValidationFailed) return undefined; // the other request mails the link
    throw err;
  }
}

async function mailConfirmation(ctx: Ctx, userId: string, to: string, lang: Language) {
  const token = await issueToken(ctx.db, userId, 'invitation', CONFIRMATION_TTL);
  const t = ctx.i18n.getFixedT(lang);
  await ctx.mailer.send(ctx.db, {
    to,
    subject: t('accounts:mail.confirm.subject'),
    text: t('accounts:mail.confirm.body', { link: `${ctx.config.publicUrl}/invitations/${token}` }),
  });
}

async function mailExistingAccount(ctx: Ctx, to: string, lang: Language) {
  const t = ctx.i18n.getFixedT(lang);
  await ctx.mailer.send(ctx.db, {
    to,
    subject: t('accounts:mail.existing.subject'),
    text: t('accounts:mail.existing.body', {
      signIn: `${ctx.config.publicUrl}/signin`,
      reset: `${ctx.config.publicUrl}/password/forgot`,
    }),
  });
}
