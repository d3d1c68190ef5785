import assert from 'node:assert/strict';
import type { Database } from '../../../src/platform/db.js';
import { ValidationFailed } from '../../../src/platform/errors.js';
import { createUser } from '../../../src/modules/accounts/accounts.service.js';
import { createTestDatabase, uniqueSuffix } from '../../helpers/db.js';

describe('accounts service (database)', () => {
  let d: Database;
  before(async function () {
    this.timeout(60_000);
    d = await createTestDatabase();
  });
  after(() => d.close());

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
