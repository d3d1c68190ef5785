import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import supertest from 'supertest';
import { startTestApp, type Agent, type TestApp } from '../../helpers/http.js';
import {
  base64,
  lastAudit,
  samlId,
  signInThroughIdp,
  spKeyFiles,
  startTestIdp,
  testKeyPair,
  type IdpUser,
  type TestIdp,
} from '../../helpers/saml-idp.js';
import { SignedXml } from 'xml-crypto';

const dana: IdpUser = { email: 'dana@coop.example', password: 'portal', nameID: 'member-0042', name: 'Dana' };

describe('SAML single logout (HTTP)', function () {
  this.timeout(180_000);
  let idp: TestIdp;
  let t: TestApp;

  before(async () => {
    idp = await startTestIdp([dana]);
    t = await startTestApp({ SAML_IDP_METADATA_FILE: idp.metadataFile, ...(await spKeyFiles()) });
    idp.trustSp((await supertest(t.app).get('/auth/saml/metadata')).text);
  });
  after(async () => {
    await t?.close();
    await idp?.close();
  });

  async function signedInAgent(): Promise<Agent> {
    const agent = supertest.agent(t.app);
    assert.equal((await signInThroughIdp(agent, idp, dana)).status, 303);
    assert.match((await agent.get('/')).text, /Welcome, Dana/);
    return agent;
  }
  const signedIn = async (agent: Agent) => /Welcome, Dana/.test((await agent.get('/')).text);

  const logoutRequestXml = (nameID: string) =>
    `<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${samlId()}" Version="2.0" IssueInstant="${new Date().toISOString()}" Destination="http://localhost:3000/auth/saml/slo"><saml:Issuer>${idp.entityId}</saml:Issuer><saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">${nameID}</saml:NameID></samlp:LogoutRequest>`;

  it('ends every session of the member when the IdP asks (POST), and answers with a signed LogoutResponse', async () => {
    const a = await signedInAgent();
    const b = await signedInAgent();
    const res = await supertest(t.app)
      .post('/auth/saml/slo')
      .type('form')
      .send({ SAMLRequest: idp.logoutRequest(dana.nameID) });
    assert.equal(res.status, 302, res.text);
    const back = new URL(res.headers.location!);
    assert.equal(back.origin + back.pathname, `${idp.url}/slo`);
    assert.ok(back.searchParams.get('SAMLResponse') && back.searchParams.get('Signature'));
    assert.equal(await signedIn(a), false);
    assert.equal(await signedIn(b), false);
    assert.equal((await lastAudit(t, 'saml.logout'))?.details.sessionsEnded, 2);
  });

  it('refuses an unsigned LogoutRequest by redirect, and keeps the session', async () => {
    const agent = await signedInAgent();
    const SAMLRequest = zlib.deflateRawSync(logoutRequestXml(dana.nameID)).toString('base64');
    const res = await supertest(t.app).get('/auth/saml/slo').query({ SAMLRequest });
    assert.equal(res.status, 401);
    assert.match(String((await lastAudit(t, 'saml.failure'))?.details.reason), /unsigned/);
    assert.equal(await signedIn(agent), true);
  });

  it('refuses a LogoutRequest signed by another key', async () => {
    const agent = await signedInAgent();
    const other = await testKeyPair('attacker');
    const sig = new SignedXml({
      privateKey: other.key,
      publicCert: other.cert,
      canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
      signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    });
    sig.addReference({
      xpath: "/*[local-name(.)='LogoutRequest']",
      transforms: [
        'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
        'http://www.w3.org/2001/10/xml-exc-c14n#',
      ],
      digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
    });
    sig.computeSignature(logoutRequestXml(dana.nameID), {
      location: { reference: "/*[local-name(.)='LogoutRequest']/*[local-name(.)='Issuer']", action: 'after' },
    });
    const res = await supertest(t.app)
      .post('/auth/saml/slo')
      .type('form')
      .send({ SAMLRequest: base64(sig.getSignedXml()) });
    assert.equal(res.status, 401);
    assert.equal(await signedIn(agent), true);
  });

  it('refuses a LogoutResponse that answers no logout request of ours', async () => {
    const xml = `<samlp:LogoutResponse xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="${samlId()}" Version="2.0" IssueInstant="${new Date().toISOString()}" InResponseTo="${samlId()}"><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status></samlp:LogoutResponse>`;
    const res = await supertest(t.app)
      .post('/auth/saml/slo')
      .type('form')
      .send({ SAMLResponse: base64(xml) });
    assert.equal(res.status, 401);
  });

  it('signs out here, then sends the browser to the IdP with a signed LogoutRequest (SP-initiated)', async () => {
    const agent = await signedInAgent();
    const home = await agent.get('/');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(home.text)![1]!;
    const res = await agent.post('/signout').type('form').send({ _csrf: csrf });
    assert.equal(res.status, 200);
    const link = /href="([^"]+)" data-auto-follow/.exec(res.text)![1]!.replace(/&amp;/g, '&');
    const to = new URL(link);
    assert.equal(to.origin + to.pathname, `${idp.url}/slo`);
    assert.ok(to.searchParams.get('SAMLRequest') && to.searchParams.get('Signature'));
    assert.equal(await signedIn(agent), false, 'our session ended before the IdP answered');
    // The IdP ends its session and answers by POST; we take the answer once.
    const answer = await (await fetch(link)).text();
    const SAMLResponse = /name="SAMLResponse" value="([^"]+)"/.exec(answer)![1]!;
    const done = await supertest(t.app)
      .post('/auth/saml/slo')
      .type('form')
      .send({ SAMLResponse, RelayState: '/' });
    assert.equal(done.status, 303);
    const again = await supertest(t.app)
      .post('/auth/saml/slo')
      .type('form')
      .send({ SAMLResponse, RelayState: '/' });
    assert.equal(again.status, 401, 'a LogoutResponse is taken once');
  });
});
