import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import supertest from 'supertest';
import { startTestApp, type TestApp } from '../../helpers/http.js';
import { xapiHeaders } from '../../helpers/lrs.js';
import { issueLaunchCredential } from '../../../src/modules/lrs/index.js';
import { forgetCredential } from '../../../src/modules/lrs/auth.js';

const LEARNER = {
  objectType: 'Agent' as const,
  account: { homePage: 'http://localhost:3000', name: 'learner-1' },
};
const OTHER = {
  objectType: 'Agent' as const,
  account: { homePage: 'http://localhost:3000', name: 'learner-2' },
};
const ACTIVITY = 'http://localhost:3000/courses/c1/activities/a1';

describe('LRS launch credentials', () => {
  let t: TestApp;
  const registration = randomUUID();
  let auth: string;
  const state = (agent: object, extra: Record<string, string> = {}) => ({
    activityId: ACTIVITY,
    agent: JSON.stringify(agent),
    ...extra,
  });

  before(async () => {
    t = await startTestApp();
    const cred = await issueLaunchCredential(t.ctx.db, {
      actor: LEARNER,
      registration,
      activityId: ACTIVITY,
      ttlSeconds: 600,
      publicUrl: t.ctx.config.publicUrl,
    });
    auth = cred.authHeader;
    assert.ok(cred.expiresAt.getTime() > Date.now() + 590_000);
  });
  after(() => t.close());

  it("reads and writes its learner's State, and no one else's", async () => {
    const put = await supertest(t.app)
      .put('/xapi/activities/state')
      .query(state(LEARNER, { stateId: 'bookmark', registration }))
      .set(xapiHeaders(auth, '1.0.3'))
      .send({ location: 'page-3' });
    assert.equal(put.status, 204);
    const get = await supertest(t.app)
      .get('/xapi/activities/state')
      .query(state(LEARNER, { stateId: 'bookmark', registration }))
      .set(xapiHeaders(auth));
    assert.deepEqual(get.body, { location: 'page-3' });

    const other = await supertest(t.app)
      .get('/xapi/activities/state')
      .query(state(OTHER, { stateId: 'bookmark' }))
      .set(xapiHeaders(auth));
    assert.equal(other.status, 403);
    assert.match(other.body.error.message, /agent they were issued for/);
    const otherWrite = await supertest(t.app)
      .delete('/xapi/activities/state')
      .query(state(OTHER))
      .set(xapiHeaders(auth));
    assert.equal(otherWrite.status, 403);
  });

  it("reads profiles (its learner's agent profile only) but writes none", async () => {
    const own = await supertest(t.app)
      .get('/xapi/agents/profile')
      .query({ agent: JSON.stringify(LEARNER), profileId: 'cmi5LearnerPreferences' })
      .set(xapiHeaders(auth));
    assert.equal(own.status, 404);
    const others = await supertest(t.app)
      .get('/xapi/agents/profile')
      .query({ agent: JSON.stringify(OTHER) })
      .set(xapiHeaders(auth));
    assert.equal(others.status, 403);
    const activityProfile = await supertest(t.app)
      .get('/xapi/activities/profile')
      .query({ activityId: ACTIVITY })
      .set(xapiHeaders(auth));
    assert.equal(activityProfile.status, 200);
    const write = await supertest(t.app)
      .put('/xapi/activities/profile')
      .query({ activityId: ACTIVITY, profileId: 'x' })
      .set(xapiHeaders(auth))
      .set('If-None-Match', '*')
      .send({});
    assert.equal(write.status, 403);
    assert.match(write.body.error.message, /may not write Activity Profile/);
    const person = await supertest(t.app)
      .get('/xapi/agents')
      .query({ agent: JSON.stringify(LEARNER) })
      .set(xapiHeaders(auth));
    assert.equal(person.status, 200);
    const otherPerson = await supertest(t.app)
      .get('/xapi/agents')
      .query({ agent: JSON.stringify(OTHER) })
      .set(xapiHeaders(auth));
    assert.equal(otherPerson.status, 403);
  });

  it('records statements only for its learner and registration, and never voids', async () => {
    const statement = (actor: object, reg: string) => ({
      actor,
      verb: { id: 'http://adlnet.gov/expapi/verbs/experienced' },
      object: { id: ACTIVITY },
      context: { registration: reg },
    });
    const ok = await supertest(t.app)
      .post('/xapi/statements')
      .set(xapiHeaders(auth))
      .send(statement(LEARNER, registration));
    assert.equal(ok.status, 200, ok.text);
    const otherActor = await supertest(t.app)
      .post('/xapi/statements')
      .set(xapiHeaders(auth))
      .send(statement(OTHER, registration));
    assert.equal(otherActor.status, 403);
    const otherRegistration = await supertest(t.app)
      .post('/xapi/statements')
      .set(xapiHeaders(auth))
      .send(statement(LEARNER, randomUUID()));
    assert.equal(otherRegistration.status, 403);
    const voiding = await supertest(t.app)
      .post('/xapi/statements')
      .set(xapiHeaders(auth))
      .send({
        actor: LEARNER,
        verb: { id: 'http://adlnet.gov/expapi/verbs/voided' },
        object: { objectType: 'StatementRef', id: (ok.body as string[])[0] },
        context: { registration },
      });
    assert.equal(voiding.status, 403);
  });

  it('stops working once expired (401)', async () => {
    const short = await issueLaunchCredential(t.ctx.db, { actor: LEARNER, registration, ttlSeconds: 1 });
    const query = state(LEARNER, { stateId: 'bookmark', registration });
    const before = await supertest(t.app)
      .get('/xapi/activities/state')
      .query(query)
      .set(xapiHeaders(short.authHeader));
    assert.equal(before.status, 200);
    await new Promise((r) => setTimeout(r, 1100));
    const after = await supertest(t.app)
      .get('/xapi/activities/state')
      .query(query)
      .set(xapiHeaders(short.authHeader));
    assert.equal(after.status, 401);
    assert.match(after.body.error.message, /expired/);
    forgetCredential(short.key);
  });

  it('refuses to issue for an invalid actor or registration', async () => {
    await assert.rejects(
      issueLaunchCredential(t.ctx.db, { actor: { name: 'nobody' }, registration, ttlSeconds: 60 }),
      /lrs:params.agent/,
    );
    await assert.rejects(
      issueLaunchCredential(t.ctx.db, { actor: LEARNER, registration: 'nope', ttlSeconds: 60 }),
      /lrs:params.uuid/,
    );
  });
});
