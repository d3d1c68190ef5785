/**
 * A real SAML 2.0 identity provider for tests: samlify on a loopback port (login form, its own session
 * cookie, SP- and IdP-initiated single logout), and builders of forged responses made with xml-crypto and
 * @xmldom/xmldom. Key pairs are made at test time with `selfsigned` and never written to the repository.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { randomBytes } from 'node:crypto';
import * as samlify from 'samlify';
import { generate } from 'selfsigned';
import { SignedXml } from 'xml-crypto';
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import assert from 'node:assert/strict';
import { freePort } from './browser.js';
import type { Agent, TestApp } from './http.js';

samlify.setSchemaValidator({ validate: () => Promise.resolve('skipped') });

export interface KeyPair {
  key: string;
  cert: string;
}

const pairs = new Map<string, Promise<KeyPair>>();
/** A test-only RSA key and self-signed certificate, made once per process and name. */
export function testKeyPair(name: string): Promise<KeyPair> {
  let p = pairs.get(name);
  if (!p) {
    p = generate([{ name: 'commonName', value: name }], { keySize: 2048, algorithm: 'sha256' }).then((g) => ({
      key: g.private,
      cert: g.cert,
    }));
    pairs.set(name, p);
  }
  return p;
}

/** Writes a test SP key pair to temp files, for SAML_SP_KEY_FILE / SAML_SP_CERT_FILE. */
export async function spKeyFiles(): Promise<{ SAML_SP_KEY_FILE: string; SAML_SP_CERT_FILE: string }> {
  const { key, cert } = await testKeyPair('test service provider');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wch-saml-sp-'));
  fs.writeFileSync(path.join(dir, 'sp.key'), key, { mode: 0o600 });
  fs.writeFileSync(path.join(dir, 'sp.crt'), cert);
  return { SAML_SP_KEY_FILE: path.join(dir, 'sp.key'), SAML_SP_CERT_FILE: path.join(dir, 'sp.crt') };
}

export const NS = {
  protocol: 'urn:oasis:names:tc:SAML:2.0:protocol',
  assertion: 'urn:oasis:names:tc:SAML:2.0:assertion',
  dsig: 'http://www.w3.org/2000/09/xmldsig#',
};
export const PERSISTENT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent';
const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const iso = (d: Date) => d.toISOString();
export const samlId = () => '_' + randomBytes(16).toString('hex');

/** Everything a login response says; tests override one field at a time to forge. */
export interface ResponseSpec {
  idpEntityId: string;
  spEntityId: string;
  acsUrl: string;
  inResponseTo: string | null;
  nameID: string;
  nameIDFormat?: string;
  sessionIndex?: string;
  attributes?: Record<string, string | string[]>;
  destination?: string | null;
  recipient?: string;
  audience?: string;
  issuer?: string;
  issueInstant?: Date;
  notBefore?: Date;
  notOnOrAfter?: Date;
  subjectNotOnOrAfter?: Date;
  /** The Response's StatusCode; a non-success status has no assertion unless `assertion` is true. */
  status?: string;
  assertion?: boolean;
  responseId?: string;
  assertionId?: string;
}

/** An unsigned SAML Response, as an IdP writes it before signing. */
export function responseXml(s: ResponseSpec): string {
  const now = s.issueInstant ?? new Date();
  const later = new Date(now.getTime() + 5 * 60_000);
  const status = s.status ?? SUCCESS;
  const withAssertion = s.assertion ?? status === SUCCESS;
  const inResponseTo = s.inResponseTo === null ? '' : ` InResponseTo="${esc(s.inResponseTo)}"`;
  const destination = s.destination === null ? '' : ` Destination="${esc(s.destination ?? s.acsUrl)}"`;
  const attrs = Object.entries(s.attributes ?? {})
    .map(
      ([name, v]) =>
        `<saml:Attribute Name="${esc(name)}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic">` +
        (Array.isArray(v) ? v : [v])
          .map((x) => `<saml:AttributeValue xsi:type="xs:string">${esc(x)}</saml:AttributeValue>`)
          .join('') +
        '</saml:Attribute>',
    )
    .join('');
  const issuer = esc(s.issuer ?? s.idpEntityId);
  const assertion = withAssertion
    ? `<saml:Assertion xmlns:saml="${NS.assertion}" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ID="${s.assertionId ?? samlId()}" Version="2.0" IssueInstant="${iso(now)}">` +
      `<saml:Issuer>${issuer}</saml:Issuer>` +
      `<saml:Subject><saml:NameID Format="${esc(s.nameIDFormat ?? PERSISTENT)}">${esc(s.nameID)}</saml:NameID>` +
      `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="${iso(s.subjectNotOnOrAfter ?? s.notOnOrAfter ?? later)}" Recipient="${esc(s.recipient ?? s.acsUrl)}"${inResponseTo}/></saml:SubjectConfirmation></saml:Subject>` +
      `<saml:Conditions NotBefore="${iso(s.notBefore ?? now)}" NotOnOrAfter="${iso(s.notOnOrAfter ?? later)}"><saml:AudienceRestriction><saml:Audience>${esc(s.audience ?? s.spEntityId)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
      `<saml:AuthnStatement AuthnInstant="${iso(now)}" SessionIndex="${esc(s.sessionIndex ?? samlId())}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
      (attrs ? `<saml:AttributeStatement>${attrs}</saml:AttributeStatement>` : '') +
      '</saml:Assertion>'
    : '';
  return (
    `<samlp:Response xmlns:samlp="${NS.protocol}" xmlns:saml="${NS.assertion}" ID="${s.responseId ?? samlId()}" Version="2.0" IssueInstant="${iso(now)}"${destination}${inResponseTo}>` +
    `<saml:Issuer>${issuer}</saml:Issuer>` +
    `<samlp:Status><samlp:StatusCode Value="${esc(status)}"/></samlp:Status>` +
    assertion +
    '</samlp:Response>'
  );
}

/** Signs the Response or its Assertion (enveloped, exc-c14n, RSA-SHA256), the signature after its Issuer. */
export function sign(xml: string, what: 'response' | 'assertion', keys: KeyPair): string {
  const target =
    what === 'response'
      ? "/*[local-name(.)='Response']"
      : "/*[local-name(.)='Response']/*[local-name(.)='Assertion']";
  const sig = new SignedXml({
    privateKey: keys.key,
    publicCert: keys.cert,
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  });
  sig.addReference({
    xpath: target,
    transforms: [
      'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
      'http://www.w3.org/2001/10/xml-exc-c14n#',
    ],
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
  });
  sig.computeSignature(xml, {
    prefix: 'ds',
    location: { reference: `${target}/*[local-name(.)='Issuer']`, action: 'after' },
  });
  return sig.getSignedXml();
}

export const parseXml = (xml: string) =>
  new DOMParser().parseFromString(xml, 'text/xml') as unknown as Document;
export const serializeXml = (doc: Node) => new XMLSerializer().serializeToString(doc as never);
export const base64 = (xml: string) => Buffer.from(xml, 'utf8').toString('base64');

export interface IdpUser {
  email: string;
  password: string;
  nameID: string;
  name: string;
  language?: string;
  groups?: string[];
}

/** The AuthnRequest id (and RelayState) in the SP's redirect to the IdP. */
export function readAuthnRedirect(location: string): {
  requestId: string;
  relayState: string | null;
  url: URL;
} {
  const url = new URL(location);
  const xml = zlib
    .inflateRawSync(Buffer.from(url.searchParams.get('SAMLRequest') ?? '', 'base64'))
    .toString('utf8');
  const id = parseXml(xml).documentElement.getAttribute('ID');
  if (!id) throw new Error('AuthnRequest without ID');
  return { requestId: id, relayState: url.searchParams.get('RelayState'), url };
}

export interface TestIdp {
  url: string;
  entityId: string;
  keys: KeyPair;
  metadataXml: string;
  /** The metadata written to a temp file, for SAML_IDP_METADATA_FILE. */
  metadataFile: string;
  users: Map<string, IdpUser>;
  /** Live IdP sessions by their cookie. */
  sessions: Map<string, { email: string; sessionIndex: string }>;
  /** Reads the SP's metadata (after the SP has started). */
  trustSp(spMetadataXml: string): void;
  /** A response this IdP would send, for `user`, answering `requestId`; overrides forge it. */
  spec(user: IdpUser, requestId: string | null, overrides?: Partial<ResponseSpec>): ResponseSpec;
  sp: { entityId: string; acsUrl: string };
  /** A signed LogoutRequest for the SP (HTTP-POST binding, base64), as the IdP sends it. */
  logoutRequest(nameID: string, sessionIndex?: string): string;
  close(): Promise<void>;
}

const BIND = {
  redirect: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect',
  post: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
};

const page = (title: string, body: string, onload = '') =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title></head>` +
  `<body${onload ? ` onload="${onload}"` : ''}><main><h1>${esc(title)}</h1>${body}</main></body></html>`;

/** An auto-submitting form, as IdPs use for the HTTP-POST binding. */
const postForm = (action: string, fields: Record<string, string | undefined>) =>
  page(
    'Continue',
    `<form method="post" action="${esc(action)}">` +
      Object.entries(fields)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v!)}">`)
        .join('') +
      '<button type="submit">Continue</button></form>',
    'document.forms[0].submit()',
  );

/** The query's signed part, in the order and encoding the sender used (for redirect-binding signatures). */
function octetString(rawQuery: string): string {
  const parts = new Map(rawQuery.split('&').map((kv) => [kv.split('=')[0]!, kv] as const));
  return ['SAMLRequest', 'SAMLResponse', 'RelayState', 'SigAlg']
    .map((k) => parts.get(k))
    .filter(Boolean)
    .join('&');
}

const readBody = (req: http.IncomingMessage) =>
  new Promise<URLSearchParams>((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (data += c));
    req.on('end', () => resolve(new URLSearchParams(data)));
    req.on('error', reject);
  });

/** A samlify IdP on a loopback port: /metadata, /sso (redirect), /login, /slo, /logout (IdP-initiated), /whoami. */
export async function startTestIdp(users: IdpUser[], o: { name?: string } = {}): Promise<TestIdp> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const keys = await testKeyPair('test identity provider');
  const entityId = `${url}/metadata`;
  const idp = samlify.IdentityProvider({
    entityID: entityId,
    privateKey: keys.key,
    signingCert: keys.cert,
    requestSignatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    nameIDFormat: [PERSISTENT],
    singleSignOnService: [{ Binding: BIND.redirect, Location: `${url}/sso` }],
    singleLogoutService: [{ Binding: BIND.redirect, Location: `${url}/slo` }],
    wantAuthnRequestsSigned: true,
    wantLogoutRequestSigned: true,
    wantLogoutResponseSigned: true,
  });
  const name = o.name ?? 'Test Member Portal';
  // samlify writes no display name: add an Organization so the SP can name the button.
  const metadataXml = idp
    .getMetadata()
    .replace(
      /<\/(\w+:)?EntityDescriptor>\s*$/,
      (end, prefix: string | undefined) =>
        `<${prefix ?? ''}Organization><${prefix ?? ''}OrganizationName xml:lang="en">${esc(name)}</${prefix ?? ''}OrganizationName>` +
        `<${prefix ?? ''}OrganizationDisplayName xml:lang="en">${esc(name)}</${prefix ?? ''}OrganizationDisplayName>` +
        `<${prefix ?? ''}OrganizationURL xml:lang="en">${url}</${prefix ?? ''}OrganizationURL></${prefix ?? ''}Organization>${end}`,
    );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wch-saml-idp-'));
  const metadataFile = path.join(dir, 'idp-metadata.xml');
  fs.writeFileSync(metadataFile, metadataXml);

  const byEmail = new Map(users.map((u) => [u.email.toLowerCase(), u]));
  const sessions = new Map<string, { email: string; sessionIndex: string }>();
  const pending = new Map<string, { requestId: string; relayState?: string }>();
  let sp: ReturnType<typeof samlify.ServiceProvider> | null = null;
  const spInfo = { entityId: '', acsUrl: '' };

  const spec = (
    user: IdpUser,
    requestId: string | null,
    overrides: Partial<ResponseSpec> = {},
  ): ResponseSpec => ({
    idpEntityId: entityId,
    spEntityId: spInfo.entityId,
    acsUrl: spInfo.acsUrl,
    inResponseTo: requestId,
    nameID: user.nameID,
    attributes: {
      email: user.email,
      displayName: user.name,
      ...(user.language ? { preferredLanguage: user.language } : {}),
      ...(user.groups ? { groups: user.groups } : {}),
    },
    ...overrides,
  });

  const cookieOf = (req: http.IncomingMessage) =>
    /(?:^|;\s*)idp_session=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];

  async function loginResponse(
    res: http.ServerResponse,
    sid: string,
    p: { requestId: string; relayState?: string },
  ) {
    const s = sessions.get(sid)!;
    const user = byEmail.get(s.email)!;
    const xml = responseXml(spec(user, p.requestId, { sessionIndex: s.sessionIndex }));
    // samlify signs the assertion, as the SP's metadata asks (WantAssertionsSigned).
    const out = (await idp.createLoginResponse(
      sp!,
      { extract: { request: { id: p.requestId } } },
      'post',
      { email: user.email },
      {
        relayState: p.relayState,
        customTagReplacement: () => ({ id: samlId(), context: xml }),
      },
    )) as { context: string; entityEndpoint: string };
    res.end(postForm(out.entityEndpoint, { SAMLResponse: out.context, RelayState: p.relayState }));
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      res.statusCode = 400;
      res.end(page('IdP error', `<p>${esc(err instanceof Error ? err.message : String(err))}</p>`));
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const u = new URL(req.url ?? '/', url);
    const rawQuery = (req.url ?? '').split('?')[1] ?? '';
    const query = Object.fromEntries(u.searchParams);
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    if (u.pathname === '/favicon.ico') {
      res.statusCode = 204;
      return void res.end();
    }
    if (u.pathname === '/metadata') {
      res.setHeader('Content-Type', 'application/samlmetadata+xml');
      return void res.end(metadataXml);
    }
    if (!sp) throw new Error('the IdP does not know the SP yet');
    const sid = cookieOf(req);
    if (u.pathname === '/sso' && req.method === 'GET') {
      const parsed = await idp.parseLoginRequest(sp, 'redirect', {
        query,
        octetString: octetString(rawQuery),
      });
      const p = { requestId: String(parsed.extract.request?.id), relayState: query.RelayState };
      if (sid && sessions.has(sid)) return loginResponse(res, sid, p);
      const key = samlId();
      pending.set(key, p);
      return void res.end(
        page(
          'Member portal sign-in',
          `<form method="post" action="/login"><input type="hidden" name="pending" value="${key}">` +
            '<p><label>Email <input name="email" type="email"></label></p>' +
            '<p><label>Password <input name="password" type="password"></label></p>' +
            '<button type="submit">Sign in to the portal</button></form>',
        ),
      );
    }
    if (u.pathname === '/login' && req.method === 'POST') {
      const form = await readBody(req);
      const p = pending.get(form.get('pending') ?? '');
      const user = byEmail.get((form.get('email') ?? '').toLowerCase());
      if (!p || !user || user.password !== form.get('password')) {
        res.statusCode = 401;
        return void res.end(page('Wrong email or password', ''));
      }
      pending.delete(form.get('pending')!);
      const newSid = randomBytes(16).toString('hex');
      sessions.set(newSid, { email: user.email.toLowerCase(), sessionIndex: samlId() });
      res.setHeader('Set-Cookie', `idp_session=${newSid}; Path=/; HttpOnly; SameSite=Lax`);
      return loginResponse(res, newSid, p);
    }
    if (u.pathname === '/whoami') {
      const s = sid ? sessions.get(sid) : undefined;
      return void res.end(page(s ? `Signed in as ${s.email}` : 'Not signed in', ''));
    }
    if (u.pathname === '/logout') {
      // IdP-initiated single logout: end our session, tell the SP by POST.
      const s = sid ? sessions.get(sid) : undefined;
      if (!s) return void res.end(page('Not signed in', ''));
      sessions.delete(sid!);
      const user = byEmail.get(s.email)!;
      const out = idp.createLogoutRequest(sp, 'post', {
        logoutNameID: user.nameID,
        sessionIndex: s.sessionIndex,
      }) as {
        context: string;
        entityEndpoint: string;
      };
      return void res.end(postForm(out.entityEndpoint, { SAMLRequest: out.context }));
    }
    if (u.pathname === '/slo' && query.SAMLRequest) {
      // SP-initiated: the SP's signed LogoutRequest by redirect; end the session, answer by POST.
      const parsed = await idp.parseLogoutRequest(sp, 'redirect', {
        query,
        octetString: octetString(rawQuery),
      });
      const nameID = parsed.extract.nameID as string;
      for (const [k, s] of sessions) if (byEmail.get(s.email)?.nameID === nameID) sessions.delete(k);
      const out = idp.createLogoutResponse(
        sp,
        parsed as unknown as Parameters<typeof idp.createLogoutResponse>[1],
        'post',
        query.RelayState ?? '',
      ) as {
        context: string;
        entityEndpoint: string;
      };
      return void res.end(
        postForm(out.entityEndpoint, { SAMLResponse: out.context, RelayState: query.RelayState }),
      );
    }
    if (u.pathname === '/slo' && query.SAMLResponse) {
      await idp.parseLogoutResponse(sp, 'redirect', { query, octetString: octetString(rawQuery) });
      return void res.end(
        page('Signed out everywhere', '<p>You are signed out of the portal and its services.</p>'),
      );
    }
    res.statusCode = 404;
    res.end(page('Not found', ''));
  }

  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url,
    entityId,
    keys,
    metadataXml,
    metadataFile,
    users: byEmail,
    sessions,
    sp: spInfo,
    spec,
    logoutRequest(nameID: string, sessionIndex?: string) {
      const out = idp.createLogoutRequest(sp!, 'post', { logoutNameID: nameID, sessionIndex }) as {
        context: string;
      };
      return out.context;
    },
    trustSp(spMetadataXml: string) {
      sp = samlify.ServiceProvider({
        metadata: spMetadataXml,
        wantLogoutRequestSigned: true,
        wantLogoutResponseSigned: true,
      });
      spInfo.entityId = sp.entityMeta.getEntityID();
      spInfo.acsUrl = sp.entityMeta.getAssertionConsumerService('post') as string;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Everything the browser does, by HTTP: SP → IdP login form → IdP's POST → our ACS. */
export async function signInThroughIdp(
  agent: Agent,
  idp: TestIdp,
  user: { email: string; password: string },
  next = '/',
) {
  const start = await agent.get(`/auth/saml/login?next=${encodeURIComponent(next)}`);
  assert.equal(start.status, 302, 'the SP redirects to the IdP');
  const form = await (await fetch(start.headers.location!)).text();
  const pending = /name="pending" value="([^"]+)"/.exec(form)?.[1];
  assert.ok(pending, 'the IdP shows its login form');
  const answer = await fetch(`${idp.url}/login`, {
    method: 'POST',
    body: new URLSearchParams({ pending, email: user.email, password: user.password }),
  });
  const html = await answer.text();
  const field = (name: string) =>
    new RegExp(`name="${name}" value="([^"]*)"`)
      .exec(html)?.[1]
      ?.replace(/&amp;/g, '&')
      .replace(/&quot;/g, '"');
  assert.equal(/action="([^"]+)"/.exec(html)?.[1], 'http://localhost:3000/auth/saml/acs');
  return agent
    .post('/auth/saml/acs')
    .type('form')
    .send({ SAMLResponse: field('SAMLResponse'), RelayState: field('RelayState') });
}

/** The newest audit entry of this event. */
export const lastAudit = (t: TestApp, event: string) =>
  t.ctx.db('audit_events').where({ event }).orderBy('id', 'desc').first() as Promise<
    { subject_user_id: string | null; details: Record<string, unknown> } | undefined
  >;
