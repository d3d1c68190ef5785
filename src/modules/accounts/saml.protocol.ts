import { SAML, ValidateInResponseTo, type Profile, type SamlConfig } from '@node-saml/passport-saml';
import type { Db } from '../../platform/db.js';
import type { SamlSetup } from './saml.config.js';
import { databaseCache, recordAssertion, type SamlRequestKind } from './saml.cache.js';
import type { SamlSessionInfo } from './saml.repo.js';
import {
  NS,
  SamlRefused,
  childElements,
  descendants,
  parseSafeXml,
  textOf,
  type ResponseInspection,
} from './saml.xml.js';

/** How long we wait for the IdP to answer a request we sent. */
export const REQUEST_TTL_MS = 30 * 60_000;
const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';
const TRANSIENT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient';
const UNSPECIFIED = 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified';

export interface SignatureNeeds {
  /** A signature on the Response is present: it must verify. */
  response: boolean;
  /** The assertion's signature must verify (present, or the Response is unsigned). */
  assertion: boolean;
}

/** node-saml's options for our IdP; `kind` keeps sign-in and logout request ids apart. */
export function samlOptions(
  db: Db,
  setup: SamlSetup,
  o: { kind: SamlRequestKind; nameIdFormat: string; clockSkewMs: number; signatures?: SignatureNeeds },
): SamlConfig {
  const { idp, sp } = setup;
  return {
    entryPoint: idp.ssoUrl,
    authnRequestBinding: idp.ssoBinding,
    logoutUrl: idp.sloUrl ?? idp.ssoUrl,
    issuer: sp.entityId,
    audience: sp.entityId,
    callbackUrl: sp.acsUrl,
    logoutCallbackUrl: sp.sloUrl,
    idpIssuer: idp.entityId,
    // Pinned: only these keys, never a certificate that a message carries in its KeyInfo.
    idpCert: idp.certificates.map((c) => c.pem),
    privateKey: sp.privateKey,
    publicCert: sp.certificate,
    signatureAlgorithm: 'sha256',
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
    identifierFormat: o.nameIdFormat === UNSPECIFIED ? null : o.nameIdFormat,
    // The IdP decides how its members authenticate (password, passkey, second factor).
    disableRequestedAuthnContext: true,
    wantAuthnResponseSigned: o.signatures?.response ?? false,
    wantAssertionsSigned: o.signatures?.assertion ?? true,
    // Logout answers are matched by saml.logout.ts itself (node-saml looks for a Response's InResponseTo only).
    validateInResponseTo: o.kind === 'authn' ? ValidateInResponseTo.always : ValidateInResponseTo.never,
    requestIdExpirationPeriodMs: REQUEST_TTL_MS,
    acceptedClockSkewMs: o.clockSkewMs,
    cacheProvider: databaseCache(db, o.kind, REQUEST_TTL_MS),
  };
}

export const samlClient = (...args: Parameters<typeof samlOptions>) => new SAML(samlOptions(...args));

/** Every signature present must verify, and at least one must cover the assertion. */
export const signatureNeeds = (i: ResponseInspection): SignatureNeeds => ({
  response: i.responseSigned,
  assertion: i.assertionSigned || !i.responseSigned,
});

export interface VerifiedSignIn {
  session: SamlSessionInfo;
  nameID: string;
  nameIDFormat: string;
  attributes: Record<string, unknown>;
}

/**
 * Checks node-saml leaves to us, on the assertion it verified: the issuer, a bearer confirmation for our
 * ACS that answers our request and has not expired, an authentication statement, a stable NameID; then
 * records the assertion id so that it is accepted only once.
 */
export async function checkVerifiedAssertion(
  db: Db,
  setup: SamlSetup,
  profile: Profile,
  inResponseTo: string,
  clockSkewMs: number,
): Promise<VerifiedSignIn> {
  const xml = profile.getAssertionXml?.();
  if (!xml) throw new SamlRefused('no verified assertion');
  const assertion = parseSafeXml(xml).documentElement;
  if (assertion.namespaceURI !== NS.assertion || assertion.localName !== 'Assertion')
    throw new SamlRefused('verified content is not an assertion');
  const now = Date.now();
  const issuer = textOf(childElements(assertion, NS.assertion, 'Issuer')[0]);
  if (issuer !== setup.idp.entityId) throw new SamlRefused(`unknown issuer: ${issuer.slice(0, 200)}`);

  const subject = childElements(assertion, NS.assertion, 'Subject')[0];
  if (!subject) throw new SamlRefused('assertion has no Subject');
  const confirmations = childElements(subject, NS.assertion, 'SubjectConfirmation')
    .filter((c) => c.getAttribute('Method') === BEARER)
    .map((c) => childElements(c, NS.assertion, 'SubjectConfirmationData')[0])
    .filter((d): d is Element => d !== undefined);
  if (!confirmations.length) throw new SamlRefused('no bearer SubjectConfirmation');
  const time = (s: string | null) => (s ? Date.parse(s) : NaN);
  const usable = confirmations.filter((d) => {
    const notOnOrAfter = time(d.getAttribute('NotOnOrAfter'));
    const notBefore = d.getAttribute('NotBefore');
    return (
      d.getAttribute('Recipient') === setup.sp.acsUrl &&
      d.getAttribute('InResponseTo') === inResponseTo &&
      now - clockSkewMs < notOnOrAfter &&
      (notBefore === null || now + clockSkewMs >= time(notBefore))
    );
  });
  if (!usable.length)
    throw new SamlRefused('no SubjectConfirmation for our ACS, for this request, within its validity');

  if (!childElements(assertion, NS.assertion, 'AuthnStatement').length)
    throw new SamlRefused('assertion has no AuthnStatement');

  const nameIdEl = childElements(subject, NS.assertion, 'NameID');
  if (nameIdEl.length !== 1) throw new SamlRefused('assertion needs exactly one NameID');
  const nameID = textOf(nameIdEl[0]);
  const nameIDFormat = nameIdEl[0]!.getAttribute('Format') ?? UNSPECIFIED;
  if (!nameID || nameID.length > 512) throw new SamlRefused('empty or oversized NameID');
  if (nameIDFormat === TRANSIENT)
    throw new SamlRefused('transient NameID cannot identify a returning member');

  const id = assertion.getAttribute('ID');
  if (!id) throw new SamlRefused('assertion has no ID');
  const expiries = [
    ...usable.map((d) => time(d.getAttribute('NotOnOrAfter'))),
    ...childElements(assertion, NS.assertion, 'Conditions').map((c) => time(c.getAttribute('NotOnOrAfter'))),
  ].filter((t) => !Number.isNaN(t));
  if (!(await recordAssertion(db, id, new Date(Math.max(...expiries) + clockSkewMs))))
    throw new SamlRefused('replayed assertion');

  const authn = childElements(assertion, NS.assertion, 'AuthnStatement')[0]!;
  return {
    nameID,
    nameIDFormat,
    attributes: attributesOf(assertion),
    session: {
      nameID,
      nameIDFormat,
      nameQualifier: nameIdEl[0]!.getAttribute('NameQualifier') ?? undefined,
      spNameQualifier: nameIdEl[0]!.getAttribute('SPNameQualifier') ?? undefined,
      sessionIndex: authn.getAttribute('SessionIndex') ?? undefined,
    },
  };
}

/** Attribute name → its values (a string for one value, an array for several). */
function attributesOf(assertion: Element): Record<string, string | string[]> {
  const out = Object.create(null) as Record<string, string | string[]>;
  for (const statement of childElements(assertion, NS.assertion, 'AttributeStatement')) {
    for (const attr of childElements(statement, NS.assertion, 'Attribute')) {
      const name = attr.getAttribute('Name');
      if (!name) continue;
      const values = descendants(attr, NS.assertion, 'AttributeValue').map((v) => textOf(v));
      const friendly = attr.getAttribute('FriendlyName');
      for (const key of friendly ? [name, friendly] : [name]) {
        if (!(key in out)) out[key] = values.length === 1 ? values[0]! : values;
      }
    }
  }
  return out;
}
