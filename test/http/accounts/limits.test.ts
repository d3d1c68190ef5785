import assert from 'node:assert/strict';
import supertest from 'supertest';
import { buildUser } from '../../factories.js';
import { csrfFrom, postForm, startTestApp, type TestApp } from '../../helpers/http.js';

describe('sign-in limits (HTTP)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ SIGNIN_MAX_FAILURES: '3' });
  });
  after(() => t.close());

  it('locks an account after repeated failures, even for the right password, and audits it', async () => {
    const user = await buildUser(t.ctx.db);
    const agent = supertest.agent(t.app);
    for (let i = 0; i < 3; i++) {
      const r = await postForm(agent, '/signin', '/signin', {
        email: user.email,
        password: 'wrong password',
      });
      assert.equal(r.status, 401);
    }
    const locked = await postForm(agent, '/signin', '/signin', {
      email: user.email,
      password: user.password,
    });
    assert.equal(locked.status, 429);
    assert.ok(Number(locked.headers['retry-after']) > 0);
    assert.match(locked.text, /Too many attempts/);
    const failures = await t.ctx
      .db('audit_events')
      .where({ event: 'signin.failure', subject_user_id: user.id });
    assert.equal(failures.length, 3);
    assert.equal(failures[0].details.why, 'wrong password');
  });

  it('checks no more guesses than the limit when they come all at once', async () => {
    // A database of its own: the address must not be locked already by the other tests.
    const fresh = await startTestApp({ SIGNIN_MAX_FAILURES: '3' });
    try {
      const user = await buildUser(fresh.ctx.db);
      const agent = supertest.agent(fresh.app);
      const _csrf = await csrfFrom(agent, '/signin');
      const answers = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          agent
            .post('/signin')
            .type('form')
            .send({ email: user.email, password: `guess ${i}`, _csrf }),
        ),
      );
      const checked = answers.filter((r) => r.status !== 429);
      assert.ok(checked.length <= 3, `${checked.length} guesses checked, the limit is 3`);
      assert.ok(checked.every((r) => r.status === 401));
      const failures = await fresh.ctx.db('audit_events').where({ event: 'signin.failure' });
      assert.equal(failures.length, checked.length);
    } finally {
      await fresh.close();
    }
  });

  it('locks an address that tries many accounts', async () => {
    const agent = supertest.agent(t.app);
    let last = 0;
    for (let i = 0; i < 13; i++) {
      last = (await postForm(agent, '/signin', '/signin', { email: `probe${i}@example.org`, password: 'x' }))
        .status;
    }
    assert.equal(last, 429);
  });
});
