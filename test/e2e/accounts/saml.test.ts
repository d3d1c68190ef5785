import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { buildUser } from '../../factories.js';
import {
  launchBrowser,
  screenshot,
  seriousA11yViolations,
  startServer,
  watchConsole,
  type RunningApp,
} from '../../helpers/browser.js';
import { spKeyFiles, startTestIdp, type IdpUser, type TestIdp } from '../../helpers/saml-idp.js';
import { createGroup } from '../../../src/modules/groups/index.js';

const alice: IdpUser = {
  email: 'alice@coop.example',
  password: 'portal password',
  nameID: 'member-0001',
  name: 'Alice Adeyemi',
  groups: ['trainers'],
};

describe('SAML sign-in and single logout in Chromium, against a samlify IdP', function () {
  this.timeout(180_000);
  let idp: TestIdp;
  let server: RunningApp;
  let browser: Browser;
  let admin: Awaited<ReturnType<typeof buildUser>>;

  before(async () => {
    idp = await startTestIdp([alice]);
    server = await startServer({
      SAML_IDP_METADATA_FILE: idp.metadataFile,
      SAML_GROUP_MAP: JSON.stringify({ trainers: { roles: ['trainer'], groups: ['Trainers circle'] } }),
      ...(await spKeyFiles()),
    });
    idp.trustSp(await (await fetch(`${server.url}/auth/saml/metadata`)).text());
    admin = await buildUser(server.ctx.db, { roles: ['admin'], name: 'Ada Admin' });
    await createGroup(server.ctx.db, admin, {
      name: 'Trainers circle',
      kind: 'working_group',
      description: '',
    });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await idp?.close();
  });

  async function expectAccessible(page: Page) {
    assert.deepEqual(await seriousA11yViolations(page), [], `accessibility of ${page.url()}`);
  }

  /** From our sign-in page through the IdP's login form and its POST back to our ACS. */
  async function signInWithPortal(page: Page) {
    await page.goto(`${server.url}/signin`);
    await page.getByRole('link', { name: 'Sign in with Test Member Portal' }).click();
    await page.getByRole('heading', { name: 'Member portal sign-in' }).waitFor();
    await page.getByLabel('Email').fill(alice.email);
    await page.getByLabel('Password').fill(alice.password);
    await page.getByRole('button', { name: 'Sign in to the portal' }).click();
    await page.getByRole('heading', { level: 1, name: 'Welcome, Alice Adeyemi' }).waitFor();
  }

  const aliceRow = () => server.ctx.db('users').where({ email: alice.email });
  const samlSessions = async () =>
    Number(
      (
        await server.ctx
          .db('sessions')
          .whereRaw(`sess -> 'saml' ->> 'nameID' = ?`, [alice.nameID])
          .count({ n: '*' })
      )[0]!.n,
    );

  it('creates the member with the mapped roles, ends both sessions at sign-out, and signs the same member in again', async () => {
    const page = await browser.newPage();
    const problems = watchConsole(page);
    await page.goto(`${server.url}/signin`);
    await expectAccessible(page);
    await screenshot(page, 'saml-signin');
    await signInWithPortal(page);
    assert.equal(new URL(page.url()).origin, server.url);
    await expectAccessible(page);
    await screenshot(page, 'saml-signed-in');

    const user = await aliceRow().first();
    const roles = (await server.ctx.db('user_roles').where({ user_id: user.id })).map(
      (r: { role: string }) => r.role,
    );
    assert.deepEqual(roles, ['trainer'], 'the IdP group "trainers" gave the trainer role');
    await page.getByRole('link', { name: 'Teach' }).waitFor();
    assert.equal(idp.sessions.size, 1, 'signed in at the IdP');
    assert.equal(await samlSessions(), 1);

    // Sign out here: our session ends, then the IdP's through single logout, and the IdP sends us home.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${server.url}/`);
    await page.getByRole('link', { name: 'Sign in' }).first().waitFor();
    assert.equal(idp.sessions.size, 0, 'the IdP session ended');
    assert.equal(await samlSessions(), 0, 'our session ended');
    await page.goto(`${idp.url}/whoami`);
    await page.getByRole('heading', { name: 'Not signed in' }).waitFor();

    // The IdP asks for the password again (its session is gone) and the same member comes back.
    await signInWithPortal(page);
    assert.equal((await aliceRow()).length, 1);
    assert.equal((await aliceRow().first()).id, user.id);
    assert.equal(
      (await server.ctx.db('external_identities').where({ user_id: user.id })).length,
      1,
      'one link to the IdP identity',
    );
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('ends the session here when the logout starts at the IdP', async () => {
    const page = await browser.newPage();
    const problems = watchConsole(page);
    await signInWithPortal(page); // a new page is a new browser context: the IdP asks again
    const before = await samlSessions(); // the first test's second sign-in is still open elsewhere
    await page.goto(`${idp.url}/logout`);
    await page.getByRole('heading', { name: 'Signed out everywhere' }).waitFor();
    assert.equal(
      await samlSessions(),
      before - 1,
      'only the session of that IdP session (SessionIndex) ended',
    );
    await page.goto(`${server.url}/`);
    await page.getByRole('link', { name: 'Sign in' }).first().waitFor();
    assert.equal(await page.getByText('Welcome, Alice Adeyemi').count(), 0);
    const audit = await server.ctx
      .db('audit_events')
      .where({ event: 'saml.logout' })
      .orderBy('id', 'desc')
      .first();
    assert.equal(audit.details.initiatedBy, 'idp');
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('shows an admin the single sign-on page, accessible, with the IdP from the metadata file', async () => {
    const page = await browser.newPage();
    const problems = watchConsole(page);
    await page.goto(`${server.url}/signin`);
    await page.getByLabel('Email address').fill(admin.email);
    await page.getByLabel('Password').fill(admin.password);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${server.url}/`);
    await page.goto(`${server.url}/admin/saml`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.getByText('Test Member Portal').first().waitFor();
    await page.getByText('SAML_IDP_METADATA_FILE').first().waitFor();
    await expectAccessible(page);
    await screenshot(page, 'saml-admin');
    assert.deepEqual(problems, []);
    await page.close();
  });
});
