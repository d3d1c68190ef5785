import { X509Certificate } from 'node:crypto';
import { NS, SamlRefused, childElements, descendants, parseSafeXml, textOf } from './saml.xml.js';

const BINDING = {
  redirect: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect',
  post: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
} as const;

export interface IdpCertificate {
  /** PEM, as node-saml wants it. */
  pem: string;
  subject: string;
  fingerprint256: string;
  validTo: Date;
}

/** What we take from the identity provider's metadata, and nothing else. */
export interface IdpMetadata {
  entityId: string;
  ssoUrl: string;
  ssoBinding: 'HTTP-Redirect' | 'HTTP-POST';
  sloUrl: string | null;
  sloResponseUrl: string | null;
  /** The pinned signing certificates: only signatures by these keys are accepted. */
  certificates: IdpCertificate[];
  displayName: string | null;
  validUntil: Date | null;
}

const httpsOrHttp = (s: string) => {
  try {
    const u = new URL(s);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
};

/** Parses IdP metadata safely (no DOCTYPE or entities) and pins its signing certificates. */
export function parseIdpMetadata(xml: string): IdpMetadata {
  let doc: Document;
  try {
    doc = parseSafeXml(xml.trim().replace(/^\uFEFF/, ''));
  } catch (err) {
    throw err instanceof SamlRefused ? new SamlRefused(`metadata: ${err.reason}`) : err;
  }
  const root = doc.documentElement;
  let entity: Element;
  if (root.namespaceURI === NS.metadata && root.localName === 'EntityDescriptor') entity = root;
  else if (root.namespaceURI === NS.metadata && root.localName === 'EntitiesDescriptor') {
    const idps = descendants(root, NS.metadata, 'EntityDescriptor').filter(
      (e) => childElements(e, NS.metadata, 'IDPSSODescriptor').length > 0,
    );
    if (idps.length !== 1) throw new SamlRefused('metadata: expected exactly one identity provider');
    entity = idps[0]!;
  } else throw new SamlRefused('metadata: not SAML 2.0 metadata (no EntityDescriptor)');

  const entityId = entity.getAttribute('entityID') ?? '';
  if (!entityId) throw new SamlRefused('metadata: the EntityDescriptor has no entityID');
  const idp = childElements(entity, NS.metadata, 'IDPSSODescriptor');
  if (idp.length !== 1) throw new SamlRefused('metadata: expected one IDPSSODescriptor');
  const descriptor = idp[0]!;
  if (!(descriptor.getAttribute('protocolSupportEnumeration') ?? '').includes(NS.protocol))
    throw new SamlRefused('metadata: the identity provider does not speak SAML 2.0');

  const endpoint = (name: string, bindings: string[]) => {
    const all = childElements(descriptor, NS.metadata, name);
    for (const b of bindings) {
      const e = all.find(
        (x) => x.getAttribute('Binding') === b && httpsOrHttp(x.getAttribute('Location') ?? ''),
      );
      if (e) return e;
    }
    return undefined;
  };
  const sso = endpoint('SingleSignOnService', [BINDING.redirect, BINDING.post]);
  if (!sso)
    throw new SamlRefused('metadata: no SingleSignOnService with the HTTP-Redirect or HTTP-POST binding');
  // We send logout messages by redirect only (node-saml builds redirect URLs).
  const slo = endpoint('SingleLogoutService', [BINDING.redirect]);

  const certificates = signingCertificates(descriptor);
  if (!certificates.length) throw new SamlRefused('metadata: no signing certificate');

  const validUntilText = entity.getAttribute('validUntil') ?? root.getAttribute('validUntil');
  const validUntil = validUntilText ? new Date(validUntilText) : null;
  return {
    entityId,
    ssoUrl: sso.getAttribute('Location')!,
    ssoBinding: sso.getAttribute('Binding') === BINDING.redirect ? 'HTTP-Redirect' : 'HTTP-POST',
    sloUrl: slo?.getAttribute('Location') ?? null,
    sloResponseUrl: slo?.getAttribute('ResponseLocation') || slo?.getAttribute('Location') || null,
    certificates,
    displayName: displayNameOf(entity, descriptor),
    validUntil: validUntil && !Number.isNaN(validUntil.getTime()) ? validUntil : null,
  };
}

function signingCertificates(descriptor: Element): IdpCertificate[] {
  const out: IdpCertificate[] = [];
  for (const kd of childElements(descriptor, NS.metadata, 'KeyDescriptor')) {
    const use = kd.getAttribute('use');
    if (use && use !== 'signing') continue;
    for (const c of descendants(kd, NS.dsig, 'X509Certificate')) {
      const b64 = textOf(c).replace(/\s+/g, '');
      let cert: X509Certificate;
      try {
        cert = new X509Certificate(Buffer.from(b64, 'base64'));
      } catch {
        throw new SamlRefused('metadata: a signing certificate does not parse');
      }
      if (out.some((x) => x.fingerprint256 === cert.fingerprint256)) continue;
      out.push({
        pem: cert.toString(),
        subject: cert.subject.replace(/\n/g, ', '),
        fingerprint256: cert.fingerprint256,
        validTo: new Date(cert.validTo),
      });
    }
  }
  return out;
}

function displayNameOf(entity: Element, descriptor: Element): string | null {
  const names = descendants(descriptor, NS.mdui, 'DisplayName');
  const org = descendants(entity, NS.metadata, 'OrganizationDisplayName');
  for (const list of [names, org]) {
    const en = list.find((n) => n.getAttribute('xml:lang')?.startsWith('en')) ?? list[0];
    const text = textOf(en).slice(0, 80);
    if (text) return text;
  }
  return null;
}
