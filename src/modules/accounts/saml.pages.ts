import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { NotFound, TooManyRequests } from '../../platform/errors.js';
import { clientIp, safeLocalPath } from '../../platform/http/guards.js';
import { flash } from '../../platform/http/locals.js';
import { currentSamlSetup } from './saml.config.js';
import { samlClient } from './saml.protocol.js';
import { deletePendingLink } from './saml.repo.js';
import { confirmLink, pendingLinkEmail } from './saml.service.js';

/** The part of a path that fits in a RelayState (at most 80 bytes, saml-bindings 3.4.3). */
const relayStateFor = (next: string) => (Buffer.byteLength(next) <= 80 ? next : '/');

const LinkForm = z.object({ password: z.string().max(256) });

/** Pages of the SAML sign-in that people use: the start, and linking an existing account. Behind the CSRF check. */
export function samlPages(ctx: AppContext): Router {
  const r = Router();
  const { db, config } = ctx;

  r.get('/auth/saml/login', async (req, res) => {
    const setup = await currentSamlSetup(ctx);
    if (!setup) throw new NotFound();
    const relayState = relayStateFor(safeLocalPath(req.query.next));
    const saml = samlClient(db, setup, {
      kind: 'authn',
      nameIdFormat: config.saml.nameIdFormat,
      clockSkewMs: config.saml.clockSkewMs,
    });
    if (setup.idp.ssoBinding === 'HTTP-Redirect')
      return res.redirect(302, await saml.getAuthorizeUrlAsync(relayState, req.headers.host, {}));
    const fields = await saml.getAuthorizeMessageAsync(relayState, req.headers.host, {});
    // This page's form posts to the IdP: allow its origin as a form target, here only.
    const csp = String(res.getHeader('Content-Security-Policy') ?? '');
    res.setHeader(
      'Content-Security-Policy',
      csp.replace("form-action 'self'", `form-action 'self' ${new URL(setup.idp.ssoUrl).origin}`),
    );
    res.render('accounts/saml-post', {
      title: req.t('saml:post.title', { idp: setup.idpName }),
      action: setup.idp.ssoUrl,
      fields: Object.entries(fields).map(([name, value]) => ({ name, value: String(value) })),
      idpName: setup.idpName,
    });
  });

  /** The page that asks the password of the existing account before it is linked. */
  async function linkPage(req: Request) {
    const setup = await currentSamlSetup(ctx);
    const id = req.session.samlPendingLink;
    const email = setup && id ? await pendingLinkEmail(db, id) : null;
    return setup && id && email ? { setup, id, email } : null;
  }

  r.get('/auth/saml/link', async (req, res) => {
    const page = await linkPage(req);
    if (!page) return expired(req, res);
    res.render('accounts/saml-link', {
      title: req.t('saml:link.title'),
      email: page.email,
      idpName: page.setup.idpName,
    });
  });

  r.post('/auth/saml/link', async (req, res, next) => {
    const page = await linkPage(req);
    if (!page) return expired(req, res);
    const form = LinkForm.safeParse(req.body);
    const result = await confirmLink(
      ctx,
      page.setup,
      page.id,
      form.success ? form.data.password : '',
      clientIp(req),
    );
    if (!result.ok) {
      if (result.reason === 'locked') throw new TooManyRequests(result.retryAfterSeconds);
      if (result.reason === 'expired') return expired(req, res);
      return res.status(401).render('accounts/saml-link', {
        title: req.t('saml:link.title'),
        email: page.email,
        idpName: page.setup.idpName,
        errors: { password: 'saml:link.wrongPassword' },
      });
    }
    const back = safeLocalPath(req.session.samlNext);
    req.logIn(result.user, (e) => {
      if (e) return next(e);
      req.session.saml = result.session;
      flash(req, 'success', 'saml:link.done', { idp: page.setup.idpName });
      res.redirect(303, back);
    });
  });

  r.post('/auth/saml/link/cancel', async (req, res) => {
    const id = req.session.samlPendingLink;
    if (id) await deletePendingLink(db, id);
    delete req.session.samlPendingLink;
    delete req.session.samlNext;
    res.redirect(303, '/signin');
  });

  function expired(req: Request, res: Response) {
    delete req.session.samlPendingLink;
    flash(req, 'error', 'saml:link.expired');
    res.redirect(303, '/signin');
  }

  return r;
}
