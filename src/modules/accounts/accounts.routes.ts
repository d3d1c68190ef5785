import { Router, type Request, type Response, type NextFunction } from 'express';
import type { Authenticator } from './passport.js';
import type { AppContext } from '../../platform/context.js';
import { audit } from '../../platform/audit.js';
import { TooManyRequests } from '../../platform/errors.js';
import { afterResponse } from '../../platform/http/after-response.js';
import { parseForm, withFormErrors } from '../../platform/http/forms.js';
import { clientIp, requireUser, safeLocalPath } from '../../platform/http/guards.js';
import { flash, languageCookie } from '../../platform/http/locals.js';
import * as schemas from './accounts.schemas.js';
import { changePassword, passwordSignInRefused, setLanguage, type SignInResult } from './accounts.service.js';
import * as links from './mail-links.js';
import { register } from './registration.js';
import { samlSignInOption } from './saml.config.js';
import { samlSignOut } from './saml.logout.js';

export function accountsRoutes(ctx: AppContext, passport: Authenticator): Router {
  const r = Router();
  const { db } = ctx;

  // The password form, and "Sign in with <IdP>" when SAML is on; with LOCAL_SIGNIN=false the form is for admins.
  const signInPage = async () => ({
    title: '',
    samlSignIn: await samlSignInOption(ctx),
    localSignIn: ctx.config.localSignIn,
  });

  r.get('/signin', async (req, res) => {
    if (req.user) return res.redirect(303, '/');
    res.render('accounts/signin', {
      ...(await signInPage()),
      title: req.t('accounts:signIn.title'),
      next: safeLocalPath(req.query.next),
      values: {},
    });
  });

  r.post('/signin', async (req: Request, res: Response, next: NextFunction) => {
    const form = schemas.SignInForm.safeParse(req.body);
    const nextPath = safeLocalPath((req.body as { next?: string }).next);
    const page = await signInPage();
    const fail = (status: number) =>
      res.status(status).render('accounts/signin', {
        ...page,
        title: req.t('accounts:signIn.title'),
        next: nextPath,
        values: { email: form.success ? form.data.email : '' },
        failure: true,
      });
    if (!form.success) return fail(401);
    if (await passwordSignInRefused(db, ctx.config, form.data.email, clientIp(req))) return fail(401);
    passport.authenticate(
      'local',
      (err: unknown, user: Express.User | false, info: SignInResult | undefined) => {
        if (err) return next(err);
        if (!user) {
          if (info && !info.ok && info.reason === 'locked')
            return next(new TooManyRequests(info.retryAfterSeconds));
          return fail(401);
        }
        // passport regenerates the session here: a new session id at sign-in.
        req.logIn(user, (e) => (e ? next(e) : res.redirect(303, nextPath)));
      },
    )(req, res, next);
  });

  r.post('/signout', (req, res, next) => {
    const userId = req.user?.id;
    // the sign-out itself is done: a failed audit write is logged, it does not hold up the answer
    const auditSignOut = (id: string) =>
      audit(db, { event: 'signout', actorId: id, subjectUserId: id, ip: clientIp(req) }).catch(
        (err: unknown) => req.log.error({ err }, 'audit of a sign-out failed'),
      );
    const samlSession = req.session.saml;
    req.logOut((err) => {
      if (err) return next(err);
      if (samlSession) {
        // Signed in through SAML: on to the IdP's single logout (passport gave us a fresh session).
        if (userId) auditSignOut(userId);
        return samlSignOut(ctx, req, res, samlSession).catch(next);
      }
      req.session.destroy(() => {
        if (userId) auditSignOut(userId);
        res.redirect(303, '/');
      });
    });
  });

  r.post('/language', async (req, res) => {
    const form = schemas.LanguageForm.safeParse(req.body);
    const back = safeLocalPath(form.success ? form.data.back : undefined);
    if (form.success) {
      if (req.user) await setLanguage(db, req.user.id, form.data.lang);
      res.cookie(languageCookie(ctx.config.secureCookies), form.data.lang, {
        httpOnly: true,
        sameSite: 'lax',
        secure: ctx.config.secureCookies,
        maxAge: 365 * 24 * 3600_000,
      });
    }
    res.redirect(303, back);
  });

  r.get('/account', requireUser, (req, res) => {
    res.render('accounts/account', { title: req.t('accounts:account.title') });
  });

  r.post('/account/password', requireUser, async (req, res) => {
    await withFormErrors(res, 'accounts/account', { title: req.t('accounts:account.title') }, async () => {
      const form = parseForm(schemas.ChangePasswordForm, req.body);
      await changePassword(db, req.user!.id, form.current, form.password, req.sessionID);
      flash(req, 'success', 'accounts:account.passwordChanged');
      res.redirect(303, '/account');
    });
  });

  r.get('/password/forgot', (req, res) => {
    res.render('accounts/forgot', { title: req.t('accounts:forgot.title'), values: {} });
  });

  r.post('/password/forgot', async (req, res) => {
    const view = { title: req.t('accounts:forgot.title'), values: req.body as object };
    await withFormErrors(res, 'accounts/forgot', view, async () => {
      const form = parseForm(schemas.ForgotPasswordForm, req.body);
      afterResponse(req, res, () => links.requestPasswordReset(ctx, form.email, req.lang, clientIp(req)));
      res.render('accounts/forgot', { ...view, sent: true });
    });
  });

  r.get('/password/reset/:token', async (req, res) => {
    const valid = await links.resetTokenIsValid(ctx, req.params.token);
    res.status(valid ? 200 : 404).render('accounts/reset', {
      title: req.t('accounts:reset.title'),
      token: req.params.token,
      invalid: !valid,
    });
  });

  r.post('/password/reset/:token', async (req, res) => {
    const view = { title: req.t('accounts:reset.title'), token: req.params.token };
    if (!(await links.resetTokenIsValid(ctx, req.params.token)))
      return res.status(404).render('accounts/reset', { ...view, invalid: true });
    await withFormErrors(res, 'accounts/reset', view, async () => {
      const form = parseForm(schemas.SetPasswordForm, req.body);
      await links.resetPassword(ctx, req.params.token, form.password, clientIp(req));
      flash(req, 'success', 'accounts:reset.done');
      res.redirect(303, '/signin');
    });
  });

  r.get('/invitations/:token', async (req, res) => {
    const user = await links.invitedUser(ctx, req.params.token);
    res.status(user ? 200 : 404).render('accounts/invitation', {
      title: req.t('accounts:invitation.title'),
      token: req.params.token,
      invitee: user ?? null,
    });
  });

  r.post('/invitations/:token', async (req, res) => {
    const invitee = await links.invitedUser(ctx, req.params.token);
    const view = {
      title: req.t('accounts:invitation.title'),
      token: req.params.token,
      invitee: invitee ?? null,
    };
    if (!invitee) return res.status(404).render('accounts/invitation', view);
    await withFormErrors(res, 'accounts/invitation', view, async () => {
      const form = parseForm(schemas.SetPasswordForm, req.body);
      await links.acceptInvitation(ctx, req.params.token, form.password, clientIp(req));
      flash(req, 'success', 'accounts:invitation.done');
      res.redirect(303, '/signin');
    });
  });

  r.get('/register', (req, res) => {
    if (!ctx.config.openRegistration || !ctx.config.localSignIn)
      return res.status(404).render('accounts/register-closed', { title: req.t('accounts:register.title') });
    res.render('accounts/register', { title: req.t('accounts:register.title'), values: {} });
  });

  r.post('/register', async (req, res) => {
    if (!ctx.config.openRegistration || !ctx.config.localSignIn)
      return res.status(404).render('accounts/register-closed', { title: req.t('accounts:register.title') });
    const view = { title: req.t('accounts:register.title'), values: req.body as object };
    await withFormErrors(res, 'accounts/register', view, async () => {
      const form = parseForm(schemas.RegisterForm, req.body);
      afterResponse(req, res, () => register(ctx, form, req.lang, clientIp(req)));
      res.render('accounts/register', { ...view, sent: true });
    });
  });

  return r;
}
