import assert from 'node:assert/strict';
import type { Database } from '../../../src/platform/db.js';
import { Conflict, ValidationFailed } from '../../../src/platform/errors.js';
import { toSessionUser } from '../../../src/modules/accounts/accounts.repo.js';
import { createUser, setDisabled, setRoles } from '../../../src/modules/accounts/accounts.service.js';
import { buildUser } from '../../factories.js';
import { createTestDatabase, uniqueSuffix } from '../../helpers/db.js';

describe('accounts service (database)', () => {
  let d: Database;
  before(async function () {
    this.timeout(60_000);
    d = await createTestDatabase();
  });
  after(() => d.close());

  const isLastAdmin = (e: unknown) => e instanceof Conflict && e.messageKey === 'accounts:errors.lastAdmin';
  const activeAdminIds = async () =>
    (
      await d
        .db('users')
        .join('user_roles', 'user_roles.user_id', 'users.id')
        .where({ role: 'admin', status: 'active' })
        .select('users.id')
    ).map((r: { id: string }) => r.id);

  describe('the last active admin', () => {
    // Only two admins: `last`, active, and `fellow`, whose account is disabled (their session is stale).
    const lastAndDisabledFellow = async () => {
      await d.db('user_roles').where({ role: 'admin' }).delete();
      const last = await buildUser(d.db, { roles: ['admin'] });
      const fellow = await buildUser(d.db, { roles: ['admin', 'trainer'] });
      await d.db('users').where({ id: fellow.id }).update({ status: 'disabled' });
      return { last, fellow: toSessionUser(fellow) };
    };

    it('keeps their admin role', async () => {
      const { last, fellow } = await lastAndDisabledFellow();
      await assert.rejects(setRoles(d.db, fellow, last.id, ['learner']), isLastAdmin);
      assert.deepEqual(await activeAdminIds(), [last.id]);
    });

    it('cannot be disabled', async () => {
      const { last, fellow } = await lastAndDisabledFellow();
      await assert.rejects(setDisabled(d.db, fellow, last.id, true), isLastAdmin);
      assert.deepEqual(await activeAdminIds(), [last.id]);
    });

    it('may take the admin role from a disabled admin, or change their own other roles', async () => {
      const { last, fellow } = await lastAndDisabledFellow();
      const actor = toSessionUser(last);
      await setRoles(d.db, actor, fellow.id, ['trainer']);
      await setRoles(d.db, actor, last.id, ['admin', 'coordinator']);
      assert.deepEqual(await activeAdminIds(), [last.id]);
    });

    it('may be removed once another admin is active', async () => {
      const { last, fellow } = await lastAndDisabledFellow();
      const other = toSessionUser(await buildUser(d.db, { roles: ['admin'] }));
      await setDisabled(d.db, other, last.id, true);
      await setRoles(d.db, other, fellow.id, ['learner']);
      assert.deepEqual(await activeAdminIds(), [other.id]);
    });
  });

  it('refuses one of two accounts of one address created at once, as taken (not a 500)', async () => {
    for (let i = 0; i < 3; i++) {
      const email = `twice-${uniqueSuffix()}@example.org`;
      const results = await Promise.allSettled([
        createUser(d.db, { email, name: 'One', roles: ['learner'], status: 'invited' }),
        createUser(d.db, { email: email.toUpperCase(), name: 'Two', roles: [], status: 'invited' }),
      ]);
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      const refused = results.find((r) => r.status === 'rejected');
      assert.ok(
        refused?.reason instanceof ValidationFailed,
        `a ValidationFailed, not ${String(refused?.reason)}`,
      );
      assert.deepEqual(refused.reason.fields, { email: 'accounts:errors.emailTaken' });
      assert.equal((await d.db('users').whereRaw('lower(email) = ?', [email])).length, 1);
    }
  });
});
