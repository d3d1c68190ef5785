import assert from 'node:assert/strict';
import supertest from 'supertest';
import { buildUser, DEFAULT_PASSWORD } from '../../factories.js';
import { startTestApp, postForm, type TestApp } from '../../helpers/http.js';
import {
  lastAudit,
  readAuthnRedirect,
  signInThroughIdp,
  spKeyFiles,
  startTestIdp,
  type IdpUser,
  type TestIdp,
} from '../../helpers/saml-idp.js';
import { createGroup, findGroupByName } from '../../../src/modules/groups/index.js';

const alice: IdpUser = {
  email: 'alice@coop.example',
  password: 'portal password',
  nameID: 'member-0001',
  name: 'Alice Adeyemi',
  language: 'fr-BE',
  groups: ['trainers', 'members'],
};
const bram: IdpUser = {
  email: 'bram@coop.example',
  password: 'portal pw 2',
  nameID: 'member-0002',
  name: 'Bram',
};
const GROUP_MAP = {
  trainers: { roles: ['trainer'], groups: ['Trainers circle'] },
  coordinators: { roles: ['coordinator'] },
};

describe('SAML single sign-on (HTTP, against a samlify IdP)', function () {
  this.timeout(180_000);
  let idp: TestIdp;
  let t: TestApp;

  before(async () => {
    idp = await startTestIdp([alice, bram]);
    t = await startTestApp({
      SAML_IDP_METADATA_FILE: idp.metadataFile,
      SAML_GROUP_MAP: JSON.stringify(GROUP_MAP),
      ...(await spKeyFiles()),
    });
    idp.trustSp((await supertest(t.app).get('/auth/saml/metadata')).text);
    const admin = await buildUser(t.ctx.db, { roles: ['admin'] });
    await createGroup(
      t.ctx.db,
      { ...admin, language: null },
      {
        name: 'Trainers circle',
        kind: 'working_group',
        description: '',
      },
    );
  });
  after(async () => {
    await t?.close();
    await idp?.close();
  });

  it('publishes the service provider metadata: entity, ACS, SLO, signing key', async () => {
    const res = await supertest(t.app).get('/auth/saml/metadata');
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type']!, /samlmetadata\+xml/);
    assert.match(res.text, /entityID="http:\/\/localhost:3000\/auth\/saml\/metadata"/);
    assert.match(
      res.text,
      /AssertionConsumerService[^>]+Location="http:\/\/localhost:3000\/auth\/saml\/acs"/,
    );
    assert.match(res.text, /SingleLogoutService[^>]+Location="http:\/\/localhost:3000\/auth\/saml\/slo"/);
    assert.match(res.text, /AuthnRequestsSigned="true"/);
    assert.match(res.text, /WantAssertionsSigned="true"/);
    assert.match(res.text, /<ds:X509Certificate>/);
  });

  it('offers "Sign in with <IdP>" on the sign-in page, named from the metadata', async () => {
    const res = await supertest(t.app).get('/signin?next=%2Fcourses');
    assert.match(res.text, /href="\/auth\/saml\/login\?next=%2Fcourses">Sign in with Test Member Portal</);
  });

  it('sends a signed AuthnRequest and keeps its id in the database', async () => {
    const res = await supertest(t.app).get('/auth/saml/login?next=/courses');
    const { requestId, relayState, url } = readAuthnRedirect(res.headers.location!);
    assert.equal(url.origin + url.pathname, `${idp.url}/sso`);
    assert.equal(relayState, '/courses');
    assert.ok(url.searchParams.get('Signature'), 'signed');
    assert.match(url.searchParams.get('SigAlg')!, /rsa-sha256/);
    assert.ok(await t.ctx.db('saml_requests').where({ id: requestId, kind: 'authn' }).first());
  });

  it('creates the member on the first sign-in, with the mapped roles and groups; the second signs the same one in', async () => {
    const agent = supertest.agent(t.app);
    const res = await signInThroughIdp(agent, idp, alice, '/courses');
    assert.equal(res.status, 303, res.text);
    assert.equal(res.headers.location, '/courses');
    assert.match((await agent.get('/')).text, /Alice Adeyemi/);
    const user = await t.ctx.db('users').where({ email: alice.email }).first();
    assert.equal(user.language, 'fr');
    assert.equal(user.password_hash, null);
    const roles = (await t.ctx.db('user_roles').where({ user_id: user.id })).map(
      (r: { role: string }) => r.role,
    );
    assert.deepEqual(roles, ['trainer']);
    const group = await findGroupByName(t.ctx.db, 'Trainers circle');
    assert.ok(await t.ctx.db('group_members').where({ group_id: group!.id, user_id: user.id }).first());
    const audit = await lastAudit(t, 'saml.signin');
    assert.equal(audit?.subject_user_id, user.id);
    assert.equal(audit?.details.created, true);

    const again = supertest.agent(t.app);
    assert.equal((await signInThroughIdp(again, idp, alice)).status, 303);
    assert.equal(Number((await t.ctx.db('users').where({ email: alice.email }).count({ n: '*' }))[0]!.n), 1);
    assert.match((await again.get('/')).text, /Alice Adeyemi/);
  });

  it('takes back only what SAML gave when the IdP groups change', async () => {
    const user = await t.ctx.db('users').where({ email: alice.email }).first();
    await t.ctx.db('user_roles').insert({ user_id: user.id, role: 'coordinator' }); // given by hand
    idp.users.get(alice.email)!.groups = ['members'];
    assert.equal((await signInThroughIdp(supertest.agent(t.app), idp, alice)).status, 303);
    const roles = (await t.ctx.db('user_roles').where({ user_id: user.id })).map(
      (r: { role: string }) => r.role,
    );
    assert.deepEqual(roles, ['coordinator']);
    const group = await findGroupByName(t.ctx.db, 'Trainers circle');
    assert.equal(
      await t.ctx.db('group_members').where({ group_id: group!.id, user_id: user.id }).first(),
      undefined,
    );
    assert.deepEqual((await lastAudit(t, 'saml.signin'))?.details.rolesRemoved, ['trainer']);
    idp.users.get(alice.email)!.groups = alice.groups;
  });

  it('sends the member back only to a page of this platform', async () => {
    const res = await signInThroughIdp(supertest.agent(t.app), idp, alice, 'https://evil.example/phish');
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, '/');
    const forged = await signInThroughIdp(supertest.agent(t.app), idp, alice, '//evil.example');
    assert.equal(forged.headers.location, '/');
  });

  it('refuses a disabled member, with the reason in the audit log', async () => {
    const user = await t.ctx.db('users').where({ email: alice.email }).first();
    await t.ctx.db('users').where({ id: user.id }).update({ status: 'disabled' });
    const res = await signInThroughIdp(supertest.agent(t.app), idp, alice);
    assert.equal(res.status, 401);
    assert.match(res.text, /disabled/);
    assert.match(String((await lastAudit(t, 'saml.failure'))?.details.reason), /account disabled/);
    await t.ctx.db('users').where({ id: user.id }).update({ status: 'active' });
  });

  it('links an existing local account only after its password is given, then signs in directly', async () => {
    const local = await buildUser(t.ctx.db, { email: bram.email, name: 'Bram Local', roles: ['learner'] });
    const agent = supertest.agent(t.app);
    const res = await signInThroughIdp(agent, idp, bram);
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, '/auth/saml/link');
    assert.doesNotMatch((await agent.get('/')).text, /Bram Local/, 'not signed in before the password');
    assert.equal(await t.ctx.db('external_identities').where({ user_id: local.id }).first(), undefined);
    const page = await agent.get('/auth/saml/link');
    assert.match(page.text, /bram@coop\.example/);

    const wrong = await postForm(agent, '/auth/saml/link', '/auth/saml/link', { password: 'not it at all' });
    assert.equal(wrong.status, 401);
    assert.equal(await t.ctx.db('external_identities').where({ user_id: local.id }).first(), undefined);

    const right = await postForm(agent, '/auth/saml/link', '/auth/saml/link', { password: DEFAULT_PASSWORD });
    assert.equal(right.status, 303);
    assert.match((await agent.get('/')).text, /Bram Local/);
    const link = await t.ctx.db('external_identities').where({ user_id: local.id }).first();
    assert.equal(link.subject, bram.nameID);
    assert.equal((await lastAudit(t, 'saml.link'))?.subject_user_id, local.id);

    const direct = await signInThroughIdp(supertest.agent(t.app), idp, bram);
    assert.equal(direct.headers.location, '/');
  });

  it('does not link an invited account that has no password yet', async () => {
    const carol: IdpUser = {
      email: 'carol@coop.example',
      password: 'p',
      nameID: 'member-0003',
      name: 'Carol',
    };
    idp.users.set(carol.email, carol);
    await t.ctx.db('users').insert({ email: carol.email, name: 'Carol', status: 'invited' });
    const res = await signInThroughIdp(supertest.agent(t.app), idp, carol);
    assert.equal(res.status, 401);
    assert.match(res.text, /invitation/);
  });

  it('accepts a response on another instance than the one that sent the request (ids in the database)', async () => {
    const { createApp } = await import('../../../src/app.js');
    const other = (await createApp({ config: t.ctx.config, db: t.ctx.db })).app;
    const start = await supertest(t.app).get('/auth/saml/login');
    const pending = /name="pending" value="([^"]+)"/.exec(
      await (await fetch(start.headers.location!)).text(),
    )![1]!;
    const html = await (
      await fetch(`${idp.url}/login`, {
        method: 'POST',
        body: new URLSearchParams({ pending, email: alice.email, password: alice.password }),
      })
    ).text();
    const SAMLResponse = /name="SAMLResponse" value="([^"]+)"/.exec(html)![1]!;
    const res = await supertest(other).post('/auth/saml/acs').type('form').send({ SAMLResponse });
    assert.equal(res.status, 303);
  });
});
