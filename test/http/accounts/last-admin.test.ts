import assert from 'node:assert/strict';
import { buildUser } from '../../factories.js';
import { csrfFrom, signIn, startTestApp, type TestApp } from '../../helpers/http.js';

// Two admins who take each other's admin role (or disable each other) at the same moment.
describe('the last active admin stays (HTTP, concurrent)', () => {
  let t: TestApp;
  before(async function () {
    this.timeout(60_000); // the first database of a run is migrated
    t = await startTestApp();
  });
  after(() => t.close());

  const activeAdmins = async () =>
    (
      await t.ctx
        .db('users')
        .join('user_roles', 'user_roles.user_id', 'users.id')
        .where({ role: 'admin', status: 'active' })
    ).length;

  /** Two admins, the only ones, each signed in with the form of the other's page open. */
  const twoAdmins = async () => {
    await t.ctx.db('user_roles').where({ role: 'admin' }).delete();
    const [a, b] = [
      await buildUser(t.ctx.db, { roles: ['admin'] }),
      await buildUser(t.ctx.db, { roles: ['admin'] }),
    ];
    const [agentA, agentB] = [
      await signIn(t.app, a.email, a.password),
      await signIn(t.app, b.email, b.password),
    ];
    return {
      a: { ...a, agent: agentA, token: await csrfFrom(agentA, `/admin/users/${b.id}`) },
      b: { ...b, agent: agentB, token: await csrfFrom(agentB, `/admin/users/${a.id}`) },
    };
  };

  // Several rounds: on the code without the lock, every round ended with no admin on PostgreSQL.
  for (let round = 1; round <= 3; round++) {
    it(`refuses one of two admins who take each other's admin role at once (round ${round})`, async () => {
      const { a, b } = await twoAdmins();
      const answers = await Promise.all([
        a.agent.post(`/admin/users/${b.id}/roles`).type('form').send({ _csrf: a.token, roles: 'learner' }),
        b.agent.post(`/admin/users/${a.id}/roles`).type('form').send({ _csrf: b.token, roles: 'learner' }),
      ]);
      assert.equal(await activeAdmins(), 1);
      assert.deepEqual(answers.map((r) => r.status === 303).sort(), [false, true], 'one done, one refused');
    });

    it(`refuses one of two admins who disable each other at once (round ${round})`, async () => {
      const { a, b } = await twoAdmins();
      const answers = await Promise.all([
        a.agent.post(`/admin/users/${b.id}/disable`).type('form').send({ _csrf: a.token }),
        b.agent.post(`/admin/users/${a.id}/disable`).type('form').send({ _csrf: b.token }),
      ]);
      assert.equal(await activeAdmins(), 1);
      assert.deepEqual(answers.map((r) => r.status === 303).sort(), [false, true], 'one done, one refused');
    });
  }
});
