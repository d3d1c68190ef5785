import type { Request, Response } from 'express';
import type { Profile } from '@node-saml/passport-saml';
import type { AppContext } from '../../platform/context.js';
import { audit } from '../../platform/audit.js';
import { NotFound } from '../../platform/errors.js';
import { clientIp, safeLocalPath } from '../../platform/http/guards.js';
import { databaseCache } from './saml.cache.js';
import { currentSamlSetup, type SamlSetup } from './saml.config.js';
import { REQUEST_TTL_MS, samlClient } from './saml.protocol.js';
import { deleteSamlSessions, type SamlSessionInfo } from './saml.repo.js';
import { SamlRefused, decodePostMessage, decodeRedirectMessage, inspectLogoutMessage } from './saml.xml.js';

type Ctx = Pick<AppContext, 'config' | 'db' | 'logger'>;

const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';

const logoutClient = (ctx: Ctx, setup: SamlSetup) =>
  samlClient(ctx.db, setup, {
    kind: 'logout',
    nameIdFormat: ctx.config.saml.nameIdFormat,
    clockSkewMs: ctx.config.saml.clockSkewMs,
    // A logout message by POST must carry a valid signature of its own.
    signatures: { response: true, assertion: false },
  });

/**
 * SP-initiated single logout: the URL that asks the IdP to end its session too (a signed LogoutRequest by
 * redirect), or null when the IdP has no logout endpoint.
 */
export async function samlLogoutUrl(
  ctx: Ctx,
  info: SamlSessionInfo,
): Promise<{ url: string; idpName: string } | null> {
  const setup = await currentSamlSetup(ctx);
  if (!setup?.idp.sloUrl) return null;
  const profile = { issuer: setup.idp.entityId, ...info } as Profile;
  return { url: await logoutClient(ctx, setup).getLogoutUrlAsync(profile, '/', {}), idpName: setup.idpName };
}

/**
 * After the local sign-out of a SAML session: a page that carries the browser on to the IdP's logout (a
 * redirect would follow the sign-out form, and CSP form-action allows only this origin as its target).
 */
export async function samlSignOut(
  ctx: Ctx,
  req: Request,
  res: Response,
  info: SamlSessionInfo,
): Promise<void> {
  const slo = await samlLogoutUrl(ctx, info);
  if (!slo) return res.redirect(303, '/');
  res.locals.user = null;
  res.render('accounts/saml-logout', {
    title: req.t('saml:logout.title'),
    url: slo.url,
    idpName: slo.idpName,
  });
}

/**
 * /auth/saml/slo: a LogoutRequest from the IdP (IdP-initiated: end this member's sessions here and answer),
 * or the IdP's LogoutResponse to ours. Either binding; a signature is required on both.
 */
export async function samlLogout(ctx: Ctx, req: Request, res: Response): Promise<void> {
  const setup = await currentSamlSetup(ctx);
  if (!setup) throw new NotFound();
  const { db } = ctx;
  const ip = clientIp(req);
  const redirect = req.method === 'GET';
  const params = (redirect ? req.query : (req.body ?? {})) as Record<string, string | undefined>;
  try {
    const message = params.SAMLRequest ?? params.SAMLResponse;
    const xml = redirect ? decodeRedirectMessage(message) : decodePostMessage(message);
    const inspection = inspectLogoutMessage(xml, setup.sp.sloUrl);
    if ((inspection.kind === 'LogoutRequest') !== (params.SAMLRequest !== undefined))
      throw new SamlRefused('logout message sent under the wrong parameter');
    // node-saml checks a redirect's signature only when there is one: we require it.
    if (redirect && (typeof params.Signature !== 'string' || typeof params.SigAlg !== 'string'))
      throw new SamlRefused('unsigned logout message');
    const saml = logoutClient(ctx, setup);
    let profile: Profile | null;
    try {
      const query = req.originalUrl.includes('?')
        ? req.originalUrl.slice(req.originalUrl.indexOf('?') + 1)
        : '';
      ({ profile } = redirect
        ? await saml.validateRedirectAsync(params, query)
        : inspection.kind === 'LogoutRequest'
          ? await saml.validatePostRequestAsync(params as { SAMLRequest: string })
          : await saml.validatePostResponseAsync(params as { SAMLResponse: string }));
    } catch (err) {
      throw new SamlRefused(err instanceof Error ? err.message : String(err));
    }

    if (inspection.kind === 'LogoutRequest') {
      if (!profile?.nameID) throw new SamlRefused('LogoutRequest without NameID');
      const sessionIndexes = typeof profile.sessionIndex === 'string' ? [profile.sessionIndex] : [];
      const ended = await deleteSamlSessions(db, profile.nameID, sessionIndexes);
      await audit(db, {
        event: 'saml.logout',
        subjectUserId: req.session?.saml?.nameID === profile.nameID ? req.user?.id : undefined,
        ip,
        details: { initiatedBy: 'idp', nameID: profile.nameID, sessionsEnded: ended },
      });
      const responder = logoutClient(ctx, {
        ...setup,
        idp: { ...setup.idp, sloUrl: setup.idp.sloResponseUrl ?? setup.idp.sloUrl },
      });
      const url = await responder.getLogoutResponseUrlAsync(profile, params.RelayState ?? '', {}, true);
      return res.redirect(302, url);
    }

    // Our own logout request came back answered: it must be one we sent, once.
    const answered =
      inspection.inResponseTo &&
      (await databaseCache(db, 'logout', REQUEST_TTL_MS).removeAsync(inspection.inResponseTo));
    if (!answered) throw new SamlRefused('LogoutResponse answers no logout request of ours');
    if (inspection.statusCode !== SUCCESS)
      throw new SamlRefused(
        `IdP could not end its session: ${inspection.statusCode ?? 'no status'}`,
        'saml:logout.idpFailed',
      );
    res.redirect(303, safeLocalPath(params.RelayState));
  } catch (err) {
    if (!(err instanceof SamlRefused)) throw err;
    await audit(db, {
      event: 'saml.failure',
      ip,
      details: { reason: err.reason.slice(0, 500), endpoint: 'slo' },
    });
    res.status(401).render('accounts/saml-failed', {
      title: req.t('saml:failure.title'),
      message: req.t(err.messageKey === 'saml:failure.generic' ? 'saml:logout.failed' : err.messageKey, {
        idp: setup.idpName,
      }),
    });
  }
}
