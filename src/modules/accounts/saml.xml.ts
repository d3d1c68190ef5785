import zlib from 'node:zlib';
import { DOMParser, onWarningStopParsing } from '@xmldom/xmldom';

/** A SAML message or metadata we will not process; `reason` goes to the audit log (English, for admins). */
export class SamlRefused extends Error {
  constructor(
    readonly reason: string,
    /** What the person reads (an i18n key of the saml namespace); forged messages get the generic one. */
    readonly messageKey = 'saml:failure.generic',
  ) {
    super(reason);
    this.name = 'SamlRefused';
  }
}

export const NS = {
  protocol: 'urn:oasis:names:tc:SAML:2.0:protocol',
  assertion: 'urn:oasis:names:tc:SAML:2.0:assertion',
  metadata: 'urn:oasis:names:tc:SAML:2.0:metadata',
  dsig: 'http://www.w3.org/2000/09/xmldsig#',
  mdui: 'urn:oasis:names:tc:SAML:metadata:ui',
} as const;

const MAX_XML_BYTES = 512 * 1024;
const MAX_NODES = 20_000;
const MAX_DEPTH = 64;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Base64 of the POST binding → XML text; refuses what is not UTF-8 or too large. */
export function decodePostMessage(b64: unknown): string {
  if (typeof b64 !== 'string' || !/^[A-Za-z0-9+/=\s]+$/.test(b64))
    throw new SamlRefused('message is not base64');
  const bytes = Buffer.from(b64, 'base64');
  if (bytes.length > MAX_XML_BYTES) throw new SamlRefused('message too large');
  return decodeUtf8(bytes);
}

/** Base64 of deflated XML (HTTP-Redirect binding) → XML text, inflating at most MAX_XML_BYTES. */
export function decodeRedirectMessage(b64: unknown): string {
  if (typeof b64 !== 'string' || !/^[A-Za-z0-9+/=\s]+$/.test(b64))
    throw new SamlRefused('message is not base64');
  let bytes: Buffer;
  try {
    bytes = zlib.inflateRawSync(Buffer.from(b64, 'base64'), { maxOutputLength: MAX_XML_BYTES });
  } catch {
    throw new SamlRefused('message does not inflate, or is too large');
  }
  return decodeUtf8(bytes);
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new SamlRefused('message is not UTF-8');
  }
}

/**
 * Parses XML we were sent, refusing what no honest IdP writes and what attacks rely on: a DOCTYPE or entity
 * (entity expansion, external entities), comments, processing instructions and CDATA sections (which
 * split a text node so that a careless reader takes only its first part), and absurd size or depth.
 */
export function parseSafeXml(xml: string): Document {
  if (Buffer.byteLength(xml) > MAX_XML_BYTES) throw new SamlRefused('XML too large');
  if (/<!DOCTYPE|<!ENTITY|<!ELEMENT|<!ATTLIST/i.test(xml))
    throw new SamlRefused('DOCTYPE or entity declaration');
  let doc: Document;
  try {
    doc = new DOMParser({ onError: onWarningStopParsing, locator: false }).parseFromString(
      xml,
      'text/xml',
    ) as unknown as Document;
  } catch {
    throw new SamlRefused('XML is not well-formed');
  }
  if (!doc?.documentElement) throw new SamlRefused('XML has no root element');
  if (doc.doctype) throw new SamlRefused('DOCTYPE or entity declaration');
  let count = 0;
  const walk = (node: Node, depth: number) => {
    if (++count > MAX_NODES || depth > MAX_DEPTH) throw new SamlRefused('XML too large or too deep');
    for (let child = node.firstChild; child; child = child.nextSibling) {
      switch (child.nodeType) {
        case 8: // COMMENT_NODE
          throw new SamlRefused('comment inside the XML');
        case 4: // CDATA_SECTION_NODE
          throw new SamlRefused('CDATA section inside the XML');
        case 5: // ENTITY_REFERENCE_NODE
        case 6: // ENTITY_NODE
        case 10: // DOCUMENT_TYPE_NODE
          throw new SamlRefused('DOCTYPE or entity declaration');
        case 7: // PROCESSING_INSTRUCTION_NODE: only the XML declaration, before the root
          if (node !== doc || (child as ProcessingInstruction).target.toLowerCase() !== 'xml')
            throw new SamlRefused('processing instruction inside the XML');
          break;
        case 1:
          walk(child, depth + 1);
          break;
      }
    }
  };
  walk(doc, 0);
  return doc;
}

export const childElements = (el: Element, ns: string, localName: string): Element[] => {
  const out: Element[] = [];
  for (let c = el.firstChild; c; c = c.nextSibling) {
    if (c.nodeType === 1 && (c as Element).namespaceURI === ns && (c as Element).localName === localName)
      out.push(c as Element);
  }
  return out;
};

export const descendants = (el: Element | Document, ns: string, localName: string): Element[] =>
  Array.from(el.getElementsByTagNameNS(ns, localName));

export const textOf = (el: Element | undefined): string => (el?.textContent ?? '').trim();

export interface ResponseInspection {
  inResponseTo: string | null;
  responseSigned: boolean;
  assertionSigned: boolean;
  /** Unverified, read only to refuse a replay early; the verified id is checked again after validation. */
  assertionId: string | null;
}

/**
 * What we check on a login response before any signature work: its shape, that it was meant for our
 * ACS (Destination), and that it carries exactly one plain assertion.
 */
export function inspectResponse(xml: string, acsUrl: string): ResponseInspection {
  const doc = parseSafeXml(xml);
  const root = doc.documentElement;
  if (root.namespaceURI !== NS.protocol || root.localName !== 'Response')
    throw new SamlRefused('not a SAML Response');
  const destination = root.getAttribute('Destination');
  if (destination !== null && destination !== acsUrl)
    throw new SamlRefused(`wrong Destination: ${destination.slice(0, 200)}`);
  const status = childElements(
    childElements(root, NS.protocol, 'Status')[0] ?? root,
    NS.protocol,
    'StatusCode',
  )[0];
  const statusCode = status?.getAttribute('Value') ?? '';
  if (statusCode !== 'urn:oasis:names:tc:SAML:2.0:status:Success')
    throw new SamlRefused(
      `status is not Success: ${statusCode.slice(0, 200) || 'none'}`,
      'saml:failure.notSignedIn',
    );
  if (childElements(root, NS.assertion, 'EncryptedAssertion').length)
    throw new SamlRefused('encrypted assertions are not supported');
  const assertions = childElements(root, NS.assertion, 'Assertion');
  if (assertions.length !== 1)
    throw new SamlRefused(assertions.length ? 'more than one assertion' : 'no assertion in the response');
  if (descendants(doc, NS.assertion, 'Assertion').length !== 1)
    throw new SamlRefused('an assertion is hidden inside another element');
  const assertion = assertions[0]!;
  return {
    inResponseTo: root.getAttribute('InResponseTo'),
    responseSigned: childElements(root, NS.dsig, 'Signature').length > 0,
    assertionSigned: childElements(assertion, NS.dsig, 'Signature').length > 0,
    assertionId: assertion.getAttribute('ID'),
  };
}

export interface LogoutInspection {
  kind: 'LogoutRequest' | 'LogoutResponse';
  inResponseTo: string | null;
  statusCode: string | null;
}

/** A logout request or response: its shape, and that it was meant for our SLO endpoint. */
export function inspectLogoutMessage(xml: string, sloUrl: string): LogoutInspection {
  const root = parseSafeXml(xml).documentElement;
  if (root.namespaceURI !== NS.protocol || !['LogoutRequest', 'LogoutResponse'].includes(root.localName))
    throw new SamlRefused('not a SAML logout message');
  const destination = root.getAttribute('Destination');
  if (destination !== null && destination !== sloUrl)
    throw new SamlRefused(`wrong Destination: ${destination.slice(0, 200)}`);
  const status = childElements(root, NS.protocol, 'Status')[0];
  return {
    kind: root.localName as LogoutInspection['kind'],
    inResponseTo: root.getAttribute('InResponseTo'),
    statusCode: status
      ? (childElements(status, NS.protocol, 'StatusCode')[0]?.getAttribute('Value') ?? null)
      : null,
  };
}
