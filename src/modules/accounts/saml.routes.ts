import { Router, type Request, type Response } from 'express';
import { MultiSamlStrategy, generateServiceProviderMetadata, type Profile } from '@node-saml/passport-saml';
import type { AppContext } from '../../platform/context.js';
import { audit } from '../../platform/audit.js';
import { NotFound } from '../../platform/errors.js';
import { clientIp, safeLocalPath } from '../../platform/http/guards.js';
import type { Authenticator } from './passport.js';
import { assertionSeen } from './saml.cache.js';
import { currentSamlSetup, spSetup, type SamlSetup } from './saml.config.js';
import { samlLogout } from './saml.logout.js';
import { checkVerifiedAssertion, samlOptions, signatureNeeds, type SignatureNeeds } from './saml.protocol.js';
import type { SamlSessionInfo } from './saml.repo.js';
import { identityFrom, samlSignIn, type SamlSignIn } from './saml.service.js';
import { SamlRefused, decodePostMessage, inspectResponse } from './saml.xml.js';

declare module 'express-session' {
  interface SessionData {
    /** Set when the session was opened by SAML: what single logout needs. */
    saml?: SamlSessionInfo;
    /** A pending link (saml_pending_links.id) waiting for the local password. */
    samlPendingLink?: string;
    /** Where to go once the link is made. */
    samlNext?: string;
  }
}

interface AcsState {
  setup: SamlSetup;
  signatures: SignatureNeeds;
  inResponseTo: string;
}

/**
 * Endpoints the IdP reaches through the browser with signed messages, cross-site: mounted before the CSRF
 * check (a POST from the IdP carries no token and, with SameSite=Lax, no session cookie).
 */
export function samlEndpoints(ctx: AppContext, passport: Authenticator): Router {
  const r = Router();
  const { db, config } = ctx;

  passport.use(
    'saml',
    new MultiSamlStrategy(
      {
        passReqToCallback: true,
        getSamlOptions: (req, done) => {
          const s = acsState(req);
          done(
            null,
            samlOptions(db, s.setup, {
              kind: 'authn',
              nameIdFormat: config.saml.nameIdFormat,
              clockSkewMs: config.saml.clockSkewMs,
              signatures: s.signatures,
            }),
          );
        },
      },
      (req: Request, profile: Profile | null, done) => {
        verify(req, profile).then(
          (outcome) => done(null, { outcome }),
          (err: unknown) => done(null, undefined, { err }),
        );
      },
      (_req: Request, _profile: Profile | null, done) =>
        done(new Error('logout goes through /auth/saml/slo')),
    ),
  );

  const acsState = (req: Request) => (req.res as Response).locals.samlAcs as AcsState;

  async function verify(req: Request, profile: Profile | null): Promise<SamlSignIn> {
    const { setup, inResponseTo } = acsState(req);
    if (!profile) throw new SamlRefused('no assertion (passive sign-in refused)');
    const verified = await checkVerifiedAssertion(db, setup, profile, inResponseTo, config.saml.clockSkewMs);
    return samlSignIn(ctx, setup, identityFrom(verified, config.saml.attributes), clientIp(req));
  }

  r.get('/auth/saml/metadata', async (_req, res) => {
    const sp = await spSetup(ctx);
    res.type('application/samlmetadata+xml').send(
      generateServiceProviderMetadata({
        issuer: sp.entityId,
        callbackUrl: sp.acsUrl,
        logoutCallbackUrl: sp.sloUrl,
        identifierFormat: config.saml.nameIdFormat,
        wantAssertionsSigned: true,
        privateKey: sp.privateKey,
        publicCerts: sp.certificate,
        signatureAlgorithm: 'sha256',
      }),
    );
  });

  r.post('/auth/saml/acs', async (req, res, next) => {
    const setup = await currentSamlSetup(ctx);
    if (!setup) throw new NotFound();
    const body = (req.body ?? {}) as { SAMLResponse?: unknown; RelayState?: unknown };
    const back = safeLocalPath(body.RelayState);
    try {
      const inspection = inspectResponse(decodePostMessage(body.SAMLResponse), setup.sp.acsUrl);
      if (!inspection.inResponseTo) throw new SamlRefused('unsolicited response (no InResponseTo)');
      if (inspection.assertionId && (await assertionSeen(db, inspection.assertionId)))
        throw new SamlRefused('replayed assertion');
      res.locals.samlAcs = {
        setup,
        signatures: signatureNeeds(inspection),
        inResponseTo: inspection.inResponseTo,
      } satisfies AcsState;
    } catch (err) {
      return refuse(req, res, setup, err);
    }
    passport.authenticate(
      'saml',
      { session: false },
      (
        err: unknown,
        user: { outcome: SamlSignIn } | false | undefined,
        info: { err?: unknown } | undefined,
      ) => {
        const failure = err ?? info?.err;
        if (failure) {
          if (failure instanceof SamlRefused || failure instanceof Error)
            return refuse(req, res, setup, failure);
          return next(failure);
        }
        if (!user) return refuse(req, res, setup, new SamlRefused('no user'));
        const outcome = user.outcome;
        if (outcome.kind === 'linkPending') {
          return req.session.regenerate((e) => {
            if (e) return next(e);
            req.session.samlPendingLink = outcome.pendingId;
            req.session.samlNext = back;
            res.redirect(303, '/auth/saml/link');
          });
        }
        // passport regenerates the session here: a new session id at sign-in.
        req.logIn(outcome.user, (e) => {
          if (e) return next(e);
          req.session.saml = outcome.session;
          res.redirect(303, back);
        });
      },
    )(req, res, next);
  });

  async function refuse(req: Request, res: Response, setup: SamlSetup, err: unknown) {
    const refused = err instanceof SamlRefused ? err : null;
    const reason = refused?.reason ?? (err instanceof Error ? err.message : String(err));
    if (!refused) ctx.logger.info({ reason }, 'SAML response refused');
    await audit(db, { event: 'saml.failure', ip: clientIp(req), details: { reason: reason.slice(0, 500) } });
    res.status(401).render('accounts/saml-failed', {
      title: req.t('saml:failure.title'),
      message: req.t(refused?.messageKey ?? 'saml:failure.generic', { idp: setup.idpName }),
    });
  }

  r.get('/auth/saml/slo', (req, res) => samlLogout(ctx, req, res));
  r.post('/auth/saml/slo', (req, res) => samlLogout(ctx, req, res));

  return r;
}
