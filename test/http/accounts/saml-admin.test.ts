import assert from 'node:assert/strict';
import supertest from 'supertest';
import { buildUser } from '../../factories.js';
import { postForm, signIn, startTestApp, type Agent, type TestApp } from '../../helpers/http.js';
import { lastAudit, startTestIdp, type TestIdp } from '../../helpers/saml-idp.js';

describe('the admin page of SAML single sign-on (HTTP)', function () {
  this.timeout(180_000);
  let idp: TestIdp;
  let t: TestApp;
  let admin: Agent;

  before(async () => {
    idp = await startTestIdp([]);
    t = await startTestApp();
    const a = await buildUser(t.ctx.db, { roles: ['admin'] });
    admin = await signIn(t.app, a.email, a.password);
  });
  after(async () => {
    await t?.close();
    await idp?.close();
  });

  const signInPage = async () => (await supertest(t.app).get('/signin')).text;

  it('is for admins only', async () => {
    const learner = await buildUser(t.ctx.db, { roles: ['learner'] });
    assert.equal(
      (await (await signIn(t.app, learner.email, learner.password)).get('/admin/saml')).status,
      403,
    );
  });

  it('shows SAML off and what to give the IdP', async () => {
    const res = await admin.get('/admin/saml');
    assert.equal(res.status, 200);
    assert.match(res.text, /No identity provider is configured/);
    assert.match(res.text, /http:\/\/localhost:3000\/auth\/saml\/acs/);
    assert.doesNotMatch(await signInPage(), /Sign in with/);
  });

  it('refuses metadata with a DOCTYPE, naming the problem, and stays off', async () => {
    const evil =
      `<!DOCTYPE md [<!ENTITY x SYSTEM "file:///etc/passwd">]>` +
      idp.metadataXml.replace(/^<\?xml[^>]*>/, '');
    const res = await postForm(admin, '/admin/saml', '/admin/saml/idp', { metadata: evil, name: '' });
    assert.equal(res.status, 422);
    assert.match(res.text, /This metadata cannot be used/);
    assert.match(res.text, /DOCTYPE/);
    assert.doesNotMatch(await signInPage(), /Sign in with/);
  });

  it('refuses metadata without a signing certificate', async () => {
    const bare = idp.metadataXml.replace(/<(\w+:)?KeyDescriptor[\s\S]*?<\/(\w+:)?KeyDescriptor>/g, '');
    const res = await postForm(admin, '/admin/saml', '/admin/saml/idp', { metadata: bare, name: '' });
    assert.equal(res.status, 422);
    assert.match(res.text, /no signing certificate/);
  });

  it('turns SAML on with pasted metadata, pins its certificate and names the button', async () => {
    const res = await postForm(admin, '/admin/saml', '/admin/saml/idp', {
      metadata: idp.metadataXml,
      name: '',
    });
    assert.equal(res.status, 303);
    assert.match(await signInPage(), /Sign in with Test Member Portal/);
    const page = (await admin.get('/admin/saml')).text;
    const fingerprint = new (await import('node:crypto')).X509Certificate(idp.keys.cert).fingerprint256;
    assert.ok(page.includes(fingerprint), 'the pinned certificate is shown');
    assert.match(page, new RegExp(idp.entityId.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')));
    assert.equal((await lastAudit(t, 'saml.settings_changed'))?.details.idpMetadata, 'replaced');

    await postForm(admin, '/admin/saml', '/admin/saml/idp', { metadata: '', name: 'Coop portal' });
    assert.match(await signInPage(), /Sign in with Coop portal/);
  });

  it('edits the group table, refusing what is not valid', async () => {
    const notJson = await postForm(admin, '/admin/saml', '/admin/saml/groups', { groupMap: '{trainers:' });
    assert.equal(notJson.status, 422);
    assert.match(notJson.text, /not valid JSON/);
    const badRole = await postForm(admin, '/admin/saml', '/admin/saml/groups', {
      groupMap: JSON.stringify({ trainers: { roles: ['superuser'] } }),
    });
    assert.equal(badRole.status, 422);
    const ok = await postForm(admin, '/admin/saml', '/admin/saml/groups', {
      groupMap: JSON.stringify({ trainers: { roles: ['trainer'], groups: ['Trainers'] } }),
    });
    assert.equal(ok.status, 303);
    const page = (await admin.get('/admin/saml')).text;
    assert.match(page, /<code>trainers<\/code><\/td>\s*<td>Trainer<\/td>\s*<td>Trainers<\/td>/);
  });

  it('removes the identity provider', async () => {
    const res = await postForm(admin, '/admin/saml', '/admin/saml/idp/remove', {});
    assert.equal(res.status, 303);
    assert.doesNotMatch(await signInPage(), /Sign in with/);
  });

  it('says so when the metadata comes from SAML_IDP_METADATA_FILE, and offers no form', async () => {
    const other = await startTestApp({ SAML_IDP_METADATA_FILE: idp.metadataFile });
    try {
      const a = await buildUser(other.ctx.db, { roles: ['admin'] });
      const page = (await (await signIn(other.app, a.email, a.password)).get('/admin/saml')).text;
      assert.match(page, /is set by the file/);
      assert.doesNotMatch(page, /action="\/admin\/saml\/idp"/);
    } finally {
      await other.close();
    }
  });
});
