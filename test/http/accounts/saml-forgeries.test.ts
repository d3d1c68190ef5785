import assert from 'node:assert/strict';
import supertest from 'supertest';
import { buildUser } from '../../factories.js';
import { startTestApp, type TestApp } from '../../helpers/http.js';
import {
  NS,
  base64,
  lastAudit,
  parseXml,
  readAuthnRedirect,
  responseXml,
  samlId,
  serializeXml,
  sign,
  spKeyFiles,
  startTestIdp,
  testKeyPair,
  type IdpUser,
  type ResponseSpec,
  type TestIdp,
} from '../../helpers/saml-idp.js';
import { currentSamlSetup } from '../../../src/modules/accounts/saml.config.js';
import { samlClient } from '../../../src/modules/accounts/saml.protocol.js';

/**
 * Forged and replayed responses, each POSTed to the ACS: every one must be refused with 401 and a
 * `saml.failure` audit entry naming the reason, and nobody may be signed in by it. The attacker, Mallory,
 * is a real member of the IdP; the victim is an admin whose account is linked to another NameID.
 */
const mallory: IdpUser = {
  email: 'user@evil.com.example.org',
  password: 'mallory',
  nameID: 'user@evil.com.example.org',
  name: 'Mallory',
};
const VICTIM_NAMEID = 'user@evil.com';
const XSW = ['XSW1', 'XSW2', 'XSW3', 'XSW4', 'XSW5', 'XSW6', 'XSW7', 'XSW8'] as const;

describe('SAML forged and replayed responses are refused (HTTP)', function () {
  this.timeout(180_000);
  let idp: TestIdp;
  let t: TestApp;

  before(async () => {
    idp = await startTestIdp([mallory]);
    t = await startTestApp({ SAML_IDP_METADATA_FILE: idp.metadataFile, ...(await spKeyFiles()) });
    idp.trustSp((await supertest(t.app).get('/auth/saml/metadata')).text);
    const victim = await buildUser(t.ctx.db, { email: 'victim@coop.example', roles: ['admin'] });
    await t.ctx
      .db('external_identities')
      .insert({ user_id: victim.id, provider: 'saml', subject: VICTIM_NAMEID });
  });
  after(async () => {
    await t?.close();
    await idp?.close();
  });

  /** A real AuthnRequest of the SP, as the attacker starts a sign-in. */
  async function freshRequestId(): Promise<string> {
    const res = await supertest(t.app).get('/auth/saml/login');
    return readAuthnRedirect(res.headers.location!).requestId;
  }

  async function malloryResponse(overrides: Partial<ResponseSpec> = {}): Promise<ResponseSpec> {
    return idp.spec(mallory, await freshRequestId(), overrides);
  }

  const post = (xml: string) =>
    supertest(t.app)
      .post('/auth/saml/acs')
      .type('form')
      .send({ SAMLResponse: base64(xml), RelayState: '/' });

  const count = async (event: string) =>
    Number((await t.ctx.db('audit_events').where({ event }).count({ n: '*' }))[0]!.n);

  async function expectRefused(xml: string, reason: RegExp) {
    const failures = await count('saml.failure');
    const signIns = await count('saml.signin');
    const res = await post(xml);
    assert.equal(res.status, 401, `refused, not ${res.status} ${res.headers.location ?? ''}`);
    assert.equal(await count('saml.failure'), failures + 1, 'one audit entry');
    assert.match(String((await lastAudit(t, 'saml.failure'))?.details.reason), reason);
    assert.equal(await count('saml.signin'), signIns, 'nobody signed in');
  }

  /** Mallory's assertion turned into the victim's: NameID changed, signature dropped, a new ID. */
  function evilAssertion(original: Element, newId = samlId()): Element {
    const evil = original.cloneNode(true) as Element;
    evil.setAttribute('ID', newId);
    for (const sig of Array.from(evil.getElementsByTagNameNS(NS.dsig, 'Signature'))) evil.removeChild(sig);
    evil.getElementsByTagNameNS(NS.assertion, 'NameID')[0]!.textContent = VICTIM_NAMEID;
    return evil;
  }

  const child = (el: Element, ns: string, name: string) =>
    Array.from(el.childNodes).find(
      (n): n is Element =>
        n.nodeType === 1 && (n as Element).namespaceURI === ns && (n as Element).localName === name,
    )!;
  const withoutSignature = (el: Element) => {
    const copy = el.cloneNode(true) as Element;
    const sig = child(copy, NS.dsig, 'Signature');
    if (sig) copy.removeChild(sig);
    return copy;
  };
  const dsObject = (doc: Document, content: Element) => {
    const object = doc.createElementNS(NS.dsig, 'ds:Object');
    object.appendChild(content);
    return object;
  };

  /**
   * The signature-wrapping shapes of Somorovsky et al., "On Breaking SAML" (2012), as SAML Raider builds
   * them: XSW1–2 move a signed Response, XSW3–8 a signed Assertion, beside an unsigned evil one.
   */
  function wrap(signedXml: string, shape: (typeof XSW)[number]): string {
    const doc = parseXml(signedXml);
    const response = doc.documentElement;
    const assertion = child(response, NS.assertion, 'Assertion');
    switch (shape) {
      case 'XSW1': {
        // The original Response inside the Signature's Object; an evil Response outside with a new ID.
        const original = withoutSignature(response);
        response.setAttribute('ID', samlId());
        response.replaceChild(evilAssertion(assertion), assertion);
        child(response, NS.dsig, 'Signature').appendChild(dsObject(doc, original));
        break;
      }
      case 'XSW2': {
        // Detached: the original Response placed before the Signature inside the evil one.
        const original = withoutSignature(response);
        const signature = child(response, NS.dsig, 'Signature');
        response.setAttribute('ID', samlId());
        response.replaceChild(evilAssertion(assertion), assertion);
        response.insertBefore(original, signature);
        break;
      }
      case 'XSW3':
        // An evil assertion before the signed one.
        response.insertBefore(evilAssertion(assertion), assertion);
        break;
      case 'XSW4': {
        // The signed assertion moved inside the evil one.
        const evil = evilAssertion(assertion);
        response.replaceChild(evil, assertion);
        evil.appendChild(assertion);
        break;
      }
      case 'XSW5': {
        // The signed assertion changed in place (signature kept), an unchanged copy appended to the Response.
        const copy = withoutSignature(assertion);
        assertion.getElementsByTagNameNS(NS.assertion, 'NameID')[0]!.textContent = VICTIM_NAMEID;
        response.appendChild(copy);
        break;
      }
      case 'XSW6': {
        // Changed in place; the unchanged copy inside the assertion's Signature.
        const copy = withoutSignature(assertion);
        assertion.getElementsByTagNameNS(NS.assertion, 'NameID')[0]!.textContent = VICTIM_NAMEID;
        child(assertion, NS.dsig, 'Signature').appendChild(dsObject(doc, copy));
        break;
      }
      case 'XSW7': {
        // The signed assertion hidden in an Extensions element; the evil one where it was.
        const extensions = doc.createElementNS(NS.protocol, 'samlp:Extensions');
        response.replaceChild(evilAssertion(assertion, assertion.getAttribute('ID')!), assertion);
        extensions.appendChild(assertion);
        response.insertBefore(extensions, child(response, NS.protocol, 'Status'));
        break;
      }
      case 'XSW8': {
        // Changed in place with its Signature; the original, unsigned, in an Object of that Signature.
        const copy = withoutSignature(assertion);
        assertion.getElementsByTagNameNS(NS.assertion, 'NameID')[0]!.textContent = VICTIM_NAMEID;
        const signature = child(assertion, NS.dsig, 'Signature');
        signature.appendChild(dsObject(doc, copy));
        break;
      }
    }
    return serializeXml(doc);
  }

  it('accepts the untouched response the forgeries start from (control)', async () => {
    const res = await post(sign(responseXml(await malloryResponse()), 'assertion', idp.keys));
    assert.equal(res.status, 303);
  });

  it('refuses an unsigned response', async () => {
    await expectRefused(responseXml(await malloryResponse({ nameID: VICTIM_NAMEID })), /signature/i);
  });

  it('refuses an assertion signed by another key (with its certificate in KeyInfo)', async () => {
    const other = await testKeyPair('attacker');
    await expectRefused(
      sign(responseXml(await malloryResponse({ nameID: VICTIM_NAMEID })), 'assertion', other),
      /signature/i,
    );
  });

  it('refuses a response signed by another key', async () => {
    const other = await testKeyPair('attacker');
    await expectRefused(
      sign(responseXml(await malloryResponse({ nameID: VICTIM_NAMEID })), 'response', other),
      /signature/i,
    );
  });

  for (const shape of ['XSW1', 'XSW2'] as const) {
    it(`refuses signature wrapping ${shape} of a signed Response`, async () => {
      const signed = sign(responseXml(await malloryResponse()), 'response', idp.keys);
      await expectRefused(wrap(signed, shape), /signature|assertion|ID/i);
    });
  }

  for (const shape of XSW.slice(2)) {
    it(`refuses signature wrapping ${shape} of a signed Assertion`, async () => {
      const signed = sign(responseXml(await malloryResponse()), 'assertion', idp.keys);
      await expectRefused(wrap(signed, shape), /signature|assertion|ID/i);
    });
    it(`refuses signature wrapping ${shape} when Response and Assertion are both signed`, async () => {
      const signed = sign(
        sign(responseXml(await malloryResponse()), 'assertion', idp.keys),
        'response',
        idp.keys,
      );
      await expectRefused(wrap(signed, shape), /signature|assertion|ID/i);
    });
  }

  // Defence in depth: the shape checks above refuse every XSW first; the signature layer must hold alone too.
  for (const [shape, signWhat] of XSW.map((x) => [x, x < 'XSW3' ? 'response' : 'assertion'] as const)) {
    it(`${shape}: node-saml's signature check alone never yields the victim`, async () => {
      const setup = (await currentSamlSetup(t.ctx))!;
      const saml = samlClient(t.ctx.db, setup, {
        kind: 'authn',
        nameIdFormat: t.ctx.config.saml.nameIdFormat,
        clockSkewMs: 60_000,
        signatures: { response: signWhat === 'response', assertion: signWhat === 'assertion' },
      });
      const nameIdOf = async (xml: string) =>
        saml
          .validatePostResponseAsync({ SAMLResponse: base64(xml) })
          .then((r) => r.profile?.nameID)
          .catch(() => null);
      const signed = async () =>
        sign(responseXml(idp.spec(mallory, await freshRequestId())), signWhat, idp.keys);
      assert.equal(await nameIdOf(await signed()), mallory.nameID, 'control: the untouched response passes');
      assert.notEqual(await nameIdOf(wrap(await signed(), shape)), VICTIM_NAMEID);
    });
  }

  it('refuses a comment inside the NameID (user@evil.com<!---->.example.org), though the signature still holds', async () => {
    const signed = sign(responseXml(await malloryResponse()), 'assertion', idp.keys);
    const forged = signed.replace(
      '>user@evil.com.example.org</saml:NameID>',
      '>user@evil.com<!---->.example.org</saml:NameID>',
    );
    assert.notEqual(forged, signed);
    await expectRefused(forged, /comment/);
  });

  it('refuses a signed failure status with an injected assertion', async () => {
    const spec = await malloryResponse({ status: 'urn:oasis:names:tc:SAML:2.0:status:Responder' });
    const signedFailure = parseXml(sign(responseXml(spec), 'response', idp.keys));
    const injected = parseXml(
      responseXml({ ...spec, status: undefined, nameID: VICTIM_NAMEID }),
    ).getElementsByTagNameNS(NS.assertion, 'Assertion')[0]!;
    signedFailure.documentElement.appendChild(signedFailure.importNode(injected, true));
    await expectRefused(serializeXml(signedFailure), /status/);
  });

  it('refuses a signed assertion for another audience', async () => {
    const xml = responseXml(await malloryResponse({ audience: 'https://other-sp.example/metadata' }));
    await expectRefused(sign(xml, 'assertion', idp.keys), /audience/i);
  });

  it('refuses a signed response for another destination', async () => {
    const xml = responseXml(await malloryResponse({ destination: 'https://other-sp.example/acs' }));
    await expectRefused(sign(sign(xml, 'assertion', idp.keys), 'response', idp.keys), /Destination/);
  });

  it('refuses a signed assertion confirmed for another recipient', async () => {
    const xml = responseXml(await malloryResponse({ recipient: 'https://other-sp.example/acs' }));
    await expectRefused(sign(xml, 'assertion', idp.keys), /SubjectConfirmation/);
  });

  it('refuses an expired assertion', async () => {
    const issued = new Date(Date.now() - 30 * 60_000);
    const xml = responseXml(
      await malloryResponse({ issueInstant: issued, notOnOrAfter: new Date(Date.now() - 10 * 60_000) }),
    );
    await expectRefused(sign(xml, 'assertion', idp.keys), /expired|subject ?confirmation/i);
  });

  it('refuses an assertion that is not valid yet', async () => {
    const xml = responseXml(await malloryResponse({ notBefore: new Date(Date.now() + 10 * 60_000) }));
    await expectRefused(sign(xml, 'assertion', idp.keys), /not yet valid/i);
  });

  it('refuses a response to a request we never sent (unknown InResponseTo)', async () => {
    const xml = responseXml(idp.spec(mallory, samlId()));
    await expectRefused(sign(xml, 'assertion', idp.keys), /InResponseTo/);
  });

  it('refuses an unsolicited response (no InResponseTo)', async () => {
    await expectRefused(sign(responseXml(idp.spec(mallory, null)), 'assertion', idp.keys), /unsolicited/);
  });

  it('refuses a replayed response, and the same signed assertion in a new response', async () => {
    const first = sign(responseXml(await malloryResponse()), 'assertion', idp.keys);
    assert.equal((await post(first)).status, 303);
    await expectRefused(first, /replayed/);

    const doc = parseXml(responseXml(await malloryResponse()));
    const used = parseXml(first).getElementsByTagNameNS(NS.assertion, 'Assertion')[0]!;
    const fresh = doc.getElementsByTagNameNS(NS.assertion, 'Assertion')[0]!;
    doc.documentElement.replaceChild(doc.importNode(used, true), fresh);
    await expectRefused(serializeXml(doc), /replayed/);
  });

  it('refuses a signed assertion from another issuer', async () => {
    const xml = responseXml(await malloryResponse({ issuer: 'https://rogue-idp.example/metadata' }));
    await expectRefused(sign(xml, 'assertion', idp.keys), /issuer/);
  });

  it('refuses a DOCTYPE with an internal entity', async () => {
    const signed = sign(responseXml(await malloryResponse()), 'assertion', idp.keys);
    const forged =
      `<!DOCTYPE samlp:Response [<!ENTITY who "${VICTIM_NAMEID}">]>` +
      signed.replace('>user@evil.com.example.org<', '>&who;<');
    await expectRefused(forged, /DOCTYPE/);
  });

  it('refuses a DOCTYPE with an external entity (XXE)', async () => {
    const signed = sign(responseXml(await malloryResponse()), 'assertion', idp.keys);
    await expectRefused(
      `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>` + signed,
      /DOCTYPE/,
    );
  });

  it('refuses a transient NameID, which cannot identify a returning member', async () => {
    const xml = responseXml(
      await malloryResponse({ nameIDFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient' }),
    );
    await expectRefused(sign(xml, 'assertion', idp.keys), /transient/);
  });

  it('refuses what is not base64 XML at all', async () => {
    const failures = await count('saml.failure');
    const res = await supertest(t.app).post('/auth/saml/acs').type('form').send({ SAMLResponse: '%%%' });
    assert.equal(res.status, 401);
    assert.equal(await count('saml.failure'), failures + 1);
  });
});
