import assert from 'node:assert/strict';
import { buildUser } from '../../factories.js';
import { postForm, signIn, startTestApp, type Agent, type TestApp } from '../../helpers/http.js';
import { createTestLrsClient } from '../../helpers/lrs.js';
import type { Role } from '../../../src/platform/http/types.js';

// The admin actions that take an id are for admins only: a learner, a trainer and a coordinator posting
// with a valid CSRF token are refused by the policy (403), and the user or client they aimed at is unchanged.
describe('admin actions refused to non-admins (HTTP)', function () {
  this.timeout(60_000);
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  const signedIn = async (roles: Role[]): Promise<Agent> => {
    const u = await buildUser(t.ctx.db, { roles });
    return signIn(t.app, u.email, u.password);
  };
  const statusOf = async (id: string) => (await t.ctx.db('users').where({ id }).first()).status as string;
  const isInstaller = async (id: string) =>
    (await t.ctx.db('h5p_library_installers').where({ user_id: id })).length > 0;
  const clientEnabled = async (id: string) =>
    (await t.ctx.db('lrs_clients').where({ id }).first()).enabled as boolean;
  const auditOf = async (id: string) =>
    (await t.ctx.db('audit_events').where({ subject_user_id: id })).length;

  /** A policy refusal: 403 with the permission message, not the CSRF guard's "form has expired". */
  const refused = (res: { status: number; text: string }, what: string) => {
    assert.equal(res.status, 403, what);
    assert.match(res.text, /You do not have permission to do this\./, what);
    assert.doesNotMatch(res.text, /This form has expired/, what);
  };

  for (const role of ['learner', 'trainer', 'coordinator'] as const) {
    it(`refuses a ${role} disabling, enabling, granting H5P installs and disabling an LRS client`, async () => {
      const agent = await signedIn([role]);
      const active = await buildUser(t.ctx.db);
      const disabled = await buildUser(t.ctx.db);
      await t.ctx.db('users').where({ id: disabled.id }).update({ status: 'disabled' });
      const client = await createTestLrsClient(t.ctx.db, ['statements/write']);
      const [activeAudit, disabledAudit] = [await auditOf(active.id), await auditOf(disabled.id)];

      refused(await postForm(agent, '/', `/admin/users/${active.id}/disable`, {}), 'disable');
      refused(await postForm(agent, '/', `/admin/users/${disabled.id}/enable`, {}), 'enable');
      const grant = { may_install: 'yes' };
      refused(await postForm(agent, '/', `/admin/users/${active.id}/h5p-libraries`, grant), 'h5p');
      refused(await postForm(agent, '/', `/admin/lrs/${client.id}/disable`, {}), 'lrs');

      assert.equal(await statusOf(active.id), 'active');
      assert.equal(await statusOf(disabled.id), 'disabled');
      assert.equal(await isInstaller(active.id), false);
      assert.equal(await clientEnabled(client.id), true);
      assert.equal(await auditOf(active.id), activeAudit);
      assert.equal(await auditOf(disabled.id), disabledAudit);
    });
  }

  it('lets an admin do each of them (the refusals above are the role’s, not the request’s)', async () => {
    const agent = await signedIn(['admin']);
    const user = await buildUser(t.ctx.db);
    const client = await createTestLrsClient(t.ctx.db, ['statements/write']);
    const page = `/admin/users/${user.id}`;
    assert.equal((await postForm(agent, page, `${page}/h5p-libraries`, { may_install: 'yes' })).status, 303);
    assert.equal(await isInstaller(user.id), true);
    assert.equal((await postForm(agent, page, `${page}/disable`, {})).status, 303);
    assert.equal(await statusOf(user.id), 'disabled');
    assert.equal((await postForm(agent, page, `${page}/enable`, {})).status, 303);
    assert.equal(await statusOf(user.id), 'active');
    assert.equal((await postForm(agent, '/admin/lrs', `/admin/lrs/${client.id}/disable`, {})).status, 303);
    assert.equal(await clientEnabled(client.id), false);
  });
});
