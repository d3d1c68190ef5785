import assert from 'node:assert/strict';
import { parseIdpMetadata } from '../../../src/modules/accounts/saml.metadata.js';
import {
  SamlRefused,
  decodeRedirectMessage,
  inspectResponse,
  parseSafeXml,
} from '../../../src/modules/accounts/saml.xml.js';
import { testKeyPair } from '../../helpers/saml-idp.js';
import zlib from 'node:zlib';

const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const der = (pem: string) => pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');

async function metadata(o: { extra?: string; keyUse?: string; entities?: number } = {}) {
  const { cert } = await testKeyPair('metadata test');
  const entity = (n: number) =>
    `<md:EntityDescriptor entityID="https://idp${n}.coop.example/idp" validUntil="2030-01-01T00:00:00Z">` +
    `<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">` +
    `<md:Extensions><mdui:UIInfo xmlns:mdui="urn:oasis:names:tc:SAML:metadata:ui"><mdui:DisplayName xml:lang="de">Mitgliederportal</mdui:DisplayName><mdui:DisplayName xml:lang="en">Member portal</mdui:DisplayName></mdui:UIInfo></md:Extensions>` +
    `<md:KeyDescriptor${o.keyUse ? ` use="${o.keyUse}"` : ''}><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>${der(cert)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>` +
    `<md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp${n}.coop.example/slo" ResponseLocation="https://idp${n}.coop.example/slo/response"/>` +
    `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://idp${n}.coop.example/sso/post"/>` +
    `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp${n}.coop.example/sso"/>` +
    `</md:IDPSSODescriptor>${o.extra ?? ''}</md:EntityDescriptor>`;
  if (!o.entities)
    return `<?xml version="1.0"?>`.concat(
      entity(1).replace('<md:EntityDescriptor ', `<md:EntityDescriptor xmlns:md="${MD}" `),
    );
  return `<md:EntitiesDescriptor xmlns:md="${MD}">${Array.from({ length: o.entities }, (_, i) => entity(i + 1)).join('')}</md:EntitiesDescriptor>`;
}

const refused = (fn: () => unknown, reason: RegExp) =>
  assert.throws(fn, (err: unknown) => err instanceof SamlRefused && reason.test(err.reason));

describe('SAML metadata and message parsing', () => {
  it('reads the IdP: entity, redirect endpoints first, pinned certificate, display name, validity', async () => {
    const idp = parseIdpMetadata(await metadata());
    assert.equal(idp.entityId, 'https://idp1.coop.example/idp');
    assert.equal(idp.ssoUrl, 'https://idp1.coop.example/sso');
    assert.equal(idp.ssoBinding, 'HTTP-Redirect');
    assert.equal(idp.sloUrl, 'https://idp1.coop.example/slo');
    assert.equal(idp.sloResponseUrl, 'https://idp1.coop.example/slo/response');
    assert.equal(idp.certificates.length, 1);
    assert.match(idp.certificates[0]!.pem, /BEGIN CERTIFICATE/);
    assert.equal(idp.displayName, 'Member portal');
    assert.equal(idp.validUntil?.toISOString(), '2030-01-01T00:00:00.000Z');
  });

  it('takes the one IdP of an EntitiesDescriptor, and refuses a choice of several', async () => {
    assert.equal(parseIdpMetadata(await metadata({ entities: 1 })).entityId, 'https://idp1.coop.example/idp');
    const two = await metadata({ entities: 2 });
    refused(() => parseIdpMetadata(two), /exactly one/);
  });

  it('ignores encryption-only keys, and refuses metadata with no signing key', async () => {
    const encryptionOnly = await metadata({ keyUse: 'encryption' });
    refused(() => parseIdpMetadata(encryptionOnly), /no signing certificate/);
    assert.equal(parseIdpMetadata(await metadata({ keyUse: 'signing' })).certificates.length, 1);
  });

  it('refuses a DOCTYPE, entities, comments, processing instructions and CDATA', () => {
    refused(() => parseSafeXml('<!DOCTYPE a [<!ENTITY b "c">]><a>&b;</a>'), /DOCTYPE/);
    refused(() => parseSafeXml('<a><!-- hi --></a>'), /comment/);
    refused(() => parseSafeXml('<a><?php x ?></a>'), /processing instruction/);
    refused(() => parseSafeXml('<a><![CDATA[x]]></a>'), /CDATA/);
    refused(() => parseSafeXml('<a><b></a>'), /well-formed/);
    assert.equal(parseSafeXml('<?xml version="1.0"?><a/>').documentElement.localName, 'a');
  });

  it('refuses a deflate bomb in the redirect binding', () => {
    const bomb = zlib.deflateRawSync(Buffer.alloc(5 * 1024 * 1024, 'a')).toString('base64');
    refused(() => decodeRedirectMessage(bomb), /too large/);
  });

  it('refuses a response that is not for our ACS, or holds no or several assertions', () => {
    const response = (attrs: string, body: string) =>
      `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="r" Version="2.0" ${attrs}><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>${body}</samlp:Response>`;
    const acs = 'https://learn.coop.example/auth/saml/acs';
    refused(
      () =>
        inspectResponse(response('Destination="https://evil.example/acs"', '<saml:Assertion ID="a"/>'), acs),
      /Destination/,
    );
    refused(() => inspectResponse(response('', ''), acs), /no assertion/);
    refused(
      () => inspectResponse(response('', '<saml:Assertion ID="a"/><saml:Assertion ID="b"/>'), acs),
      /more than one/,
    );
    refused(() => inspectResponse(response('', '<saml:EncryptedAssertion/>'), acs), /encrypted/);
    assert.equal(
      inspectResponse(response(`Destination="${acs}" InResponseTo="q"`, '<saml:Assertion ID="a"/>'), acs)
        .assertionId,
      'a',
    );
  });
});
