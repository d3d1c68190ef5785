import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, jwtVerify } from 'jose';
import supertest from 'supertest';
import { buildUser, DEFAULT_PASSWORD } from '../../factories.js';
import { postForm, signIn, startTestApp, type Agent, type TestApp, binaryBody } from '../../helpers/http.js';
import { insertActivity } from '../../../src/modules/courses/activities.repo.js';
import { VERIFY_LIMIT_PER_MINUTE } from '../../../src/modules/certificates/rate-limit.js';
import { certificateCommands } from '../../../src/cli/certificates.js';
import { buildCourse } from '../../integration/courses/fixtures.js';
import { enrol, send, trackedCourse } from '../../integration/progress/helpers.js';

const EARNED = 'https://w3id.org/xapi/adl/verbs/earned';

/** A browser-like anonymous visitor (own session and CSRF cookie), its address distinct for the rate limit. */
function visitor(t: TestApp, ip: string) {
  const agent = supertest.agent(t.app);
  return { agent, get: (url: string) => agent.get(url).set('X-Forwarded-For', ip) };
}

async function credentialAction(agent: Agent, ip: string): Promise<string> {
  const page = await agent.get('/verify').set('X-Forwarded-For', ip);
  const m = /action="(\/verify\/credential\?_csrf=[^"]+)"/.exec(page.text);
  assert.ok(m, 'the verification form');
  return m[1]!.replace(/&amp;/g, '&');
}

describe('certificates', function () {
  this.timeout(60_000);
  let t: TestApp;
  let learner: Awaited<ReturnType<typeof buildUser>>;
  let coordinator: Agent;
  let learnerAgent: Agent;
  let tc: Awaited<ReturnType<typeof trackedCourse>>;
  let registration: string;

  before(async function () {
    this.timeout(120_000);
    t = await startTestApp({ TRUST_PROXY: 'true' });
    const { db } = t.ctx;
    const owner = await buildUser(db, { roles: ['trainer'], name: 'Teacher Tess' });
    learner = await buildUser(db, { name: 'محمد عبد الله', language: 'fr' });
    const boss = await buildUser(db, { roles: ['coordinator'] });
    tc = await trackedCourse(db, owner.id, 2, 'Etiquette');
    await db('courses').where({ id: tc.course.id }).update({ language: 'de' });
    registration = (await enrol(db, tc.course.id, learner.id)).registration;
    coordinator = await signIn(t.app, boss.email, DEFAULT_PASSWORD);
    learnerAgent = await signIn(t.app, learner.email, DEFAULT_PASSWORD);
  });
  after(() => t.close());

  const certificatesOf = (userId: string) => t.ctx.db('certificates').where({ user_id: userId });

  it('issues no certificate before the completion rule is met', async () => {
    await send(t.ctx.db, [
      { registration, userId: learner.id, verb: 'completed', iri: tc.activities[0]!.iri },
    ]);
    assert.equal((await certificatesOf(learner.id)).length, 0);
    assert.equal((await t.ctx.db('enrolments').where({ registration }).first()).status, 'active');
  });

  it('issues the certificate once, on completion, with an earned statement', async () => {
    await send(t.ctx.db, [
      {
        registration,
        userId: learner.id,
        verb: 'completed',
        iri: tc.activities[1]!.iri,
        result: { duration: 'PT40M' },
      },
    ]);
    const [cert, ...more] = await certificatesOf(learner.id);
    assert.ok(cert);
    assert.equal(more.length, 0);
    assert.match(cert.code, /^[A-Z2-7]{32}$/);
    assert.equal(cert.learner_name, 'محمد عبد الله');
    assert.equal(cert.language, 'fr');
    assert.equal((await t.ctx.db('enrolments').where({ registration }).first()).status, 'completed');
    const earned = await t.ctx.db('statements').where({ verb_id: EARNED, registration });
    assert.equal(earned.length, 1);
    // more completions do not issue it again
    await send(t.ctx.db, [
      { registration, userId: learner.id, verb: 'completed', iri: tc.activities[1]!.iri },
      { registration, userId: learner.id, verb: 'passed', iri: tc.activities[0]!.iri },
    ]);
    assert.equal((await certificatesOf(learner.id)).length, 1);
    assert.equal((await t.ctx.db('statements').where({ verb_id: EARNED, registration })).length, 1);
  });

  it('issues from authored-course tracking too (the authored course IRI)', async () => {
    const { db, config } = t.ctx;
    const owner = await buildUser(db, { roles: ['trainer'] });
    const student = await buildUser(db);
    const course = await buildCourse(db, { ownerId: owner.id });
    const authoredCourseId = randomUUID();
    await insertActivity(db, {
      courseId: course.id,
      kind: 'authored',
      title: 'Authored',
      contentRef: { authoredCourseId, version: 1 },
    });
    const e = await enrol(db, course.id, student.id);
    const iri = `${config.publicUrl}/xapi/activities/authored/${authoredCourseId}`;
    await send(db, [
      { registration: e.registration, userId: student.id, verb: 'completed', iri: `${iri}/lessons/x` },
    ]);
    assert.equal((await certificatesOf(student.id)).length, 0);
    await send(db, [{ registration: e.registration, userId: student.id, verb: 'completed', iri }]);
    assert.equal((await certificatesOf(student.id)).length, 1);
  });

  it('lists My certificates and downloads the PDF and the Open Badges credential', async () => {
    const [cert] = await certificatesOf(learner.id);
    const page = await learnerAgent.get('/certificates');
    assert.equal(page.status, 200);
    assert.match(page.text, /Etiquette/);
    const pdf = await learnerAgent
      .get(`/certificates/${cert.id}/certificate.pdf`)
      .buffer(true)
      .parse(binaryBody);
    assert.equal(pdf.status, 200);
    assert.equal((pdf.body as Buffer).subarray(0, 5).toString(), '%PDF-');
    const jwt = await learnerAgent.get(`/certificates/${cert.id}/credential.jwt`);
    assert.equal(jwt.text, cert.credential);
    // the issuer profile publishes the key that verifies it
    const jwks = await supertest(t.app).get('/certificates/issuer/jwks.json');
    const { payload } = await jwtVerify(cert.credential, createLocalJWKSet(jwks.body as never));
    const vc = payload.vc as {
      type: string[];
      credentialSubject: { achievement: { name: string; criteria: { narrative: string } } };
    };
    assert.deepEqual(vc.type, ['VerifiableCredential', 'OpenBadgeCredential']);
    assert.equal(vc.credentialSubject.achievement.name, 'Etiquette');
    // the criteria speak the course's language, as its title does
    assert.equal(
      vc.credentialSubject.achievement.criteria.narrative,
      'Alle Aktivitäten des Kurses abschließen.',
    );
    const profile = await supertest(t.app).get('/certificates/issuer');
    assert.equal(profile.body.verificationMethod[1].publicKeyJwk.x, jwks.body.keys[0].x);
    // someone else's certificate is not theirs to download
    const other = await buildUser(t.ctx.db);
    const stranger = await signIn(t.app, other.email, DEFAULT_PASSWORD);
    assert.equal((await stranger.get(`/certificates/${cert.id}/certificate.pdf`)).status, 404);
    assert.equal((await stranger.get(`/certificates/${cert.id}/credential.jwt`)).status, 404);
    assert.equal((await stranger.get('/certificates/manage')).status, 404);
  });

  it('verifies a code without signing in; a guessed code is unknown', async () => {
    const [cert] = await certificatesOf(learner.id);
    const v = visitor(t, '10.0.0.1');
    const ok = await v.get(`/verify/${cert.code.match(/.{4}/g).join('-').toLowerCase()}`);
    assert.equal(ok.status, 200);
    assert.match(ok.text, /Valid/);
    assert.match(ok.text, /محمد عبد الله/);
    const guessed = await v.get('/verify/ABCDEFGHIJKLMNOPQRSTUVWXYZ234567');
    assert.equal(guessed.status, 404);
    assert.match(guessed.text, /Unknown/);
    assert.equal(
      (
        await certificateCommands['verify-certificate']!.run({ db: t.ctx.db, config: t.ctx.config }, {}, [
          cert.code,
        ])
      ).split('\n')[0],
      'valid',
    );
    assert.equal(
      await certificateCommands['verify-certificate']!.run({ db: t.ctx.db, config: t.ctx.config }, {}, [
        'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567',
      ]),
      'unknown',
    );
  });

  it('checks an uploaded or pasted credential; a tampered one fails', async () => {
    const [cert] = await certificatesOf(learner.id);
    const v = visitor(t, '10.0.0.2');
    const action = await credentialAction(v.agent, '10.0.0.2');
    const pasted = await v.agent
      .post(action)
      .set('X-Forwarded-For', '10.0.0.2')
      .field('credential', cert.credential);
    assert.equal(pasted.status, 200);
    assert.match(pasted.text, /signature is ours and intact/);
    const uploaded = await v.agent
      .post(action)
      .set('X-Forwarded-For', '10.0.0.2')
      .attach('file', Buffer.from(cert.credential), 'badge.jwt');
    assert.equal(uploaded.status, 200);
    const [h, p, s] = (cert.credential as string).split('.');
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
    claims.vc.credentialSubject.achievement.name = 'Brain surgery';
    const tampered = [h, Buffer.from(JSON.stringify(claims)).toString('base64url'), s].join('.');
    const bad = await v.agent.post(action).set('X-Forwarded-For', '10.0.0.2').field('credential', tampered);
    assert.equal(bad.status, 422);
    assert.match(bad.text, /Not authentic/);
  });

  it('hides revoke and re-issue from all but coordinators and admins (404), with a valid CSRF token', async () => {
    const [cert] = await certificatesOf(learner.id);
    const trainer = await buildUser(t.ctx.db, { roles: ['trainer'] });
    const agents = [learnerAgent, await signIn(t.app, trainer.email, DEFAULT_PASSWORD)];
    for (const agent of agents) {
      const revoke = `/certificates/${cert.id}/revoke`;
      assert.equal((await postForm(agent, '/certificates', revoke, { reason: 'mine' })).status, 404);
      const reissue = `/certificates/${cert.id}/reissue`;
      assert.equal((await postForm(agent, '/certificates', reissue, {})).status, 404);
    }
    const all = await certificatesOf(learner.id);
    assert.equal(all.length, 1);
    assert.equal(all[0].revoked_at, null);
  });

  it('shows a revocation on the verification page, audited; a re-issue is valid', async () => {
    const [cert] = await certificatesOf(learner.id);
    const none = await postForm(
      coordinator,
      `/certificates/${cert.id}/revoke`,
      `/certificates/${cert.id}/revoke`,
      { reason: '' },
    );
    assert.equal(none.status, 422);
    const res = await postForm(
      coordinator,
      `/certificates/${cert.id}/revoke`,
      `/certificates/${cert.id}/revoke`,
      { reason: 'issued by mistake' },
    );
    assert.equal(res.status, 303);
    const v = visitor(t, '10.0.0.3');
    const page = await v.get(`/verify/${cert.code}`);
    assert.match(page.text, /Revoked/);
    assert.equal(
      (
        await certificateCommands['verify-certificate']!.run({ db: t.ctx.db, config: t.ctx.config }, {}, [
          cert.code,
        ])
      ).split('\n')[0],
      'revoked',
    );
    const audit = await t.ctx.db('audit_events').where({ event: 'certificate.revoked' }).first();
    assert.equal(audit.details.reason, 'issued by mistake');
    const again = await postForm(coordinator, '/certificates/manage', `/certificates/${cert.id}/reissue`, {});
    assert.equal(again.status, 303);
    const all = await certificatesOf(learner.id).orderBy('generation');
    assert.equal(all.length, 2);
    assert.match((await v.get(`/verify/${all[1].code}`)).text, /Valid/);
    // the learner's own enrolment may not trigger a third automatically
    await send(t.ctx.db, [
      { registration, userId: learner.id, verb: 'completed', iri: tc.activities[0]!.iri },
    ]);
    assert.equal((await certificatesOf(learner.id)).length, 2);
    // a learner cannot revoke
    assert.equal((await learnerAgent.get(`/certificates/${all[1].id}/revoke`)).status, 404);
  });

  it('rate-limits verification per address', async () => {
    const v = visitor(t, '10.0.0.9');
    // a fixed one-minute window: when the loop crosses a minute boundary the count starts again
    let answered = 0;
    let status = 0;
    while (answered <= 2 * VERIFY_LIMIT_PER_MINUTE + 1) {
      status = (await v.get('/verify/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).status;
      if (status === 429) break;
      answered++;
    }
    assert.equal(status, 429);
    assert.ok(answered >= VERIFY_LIMIT_PER_MINUTE, `${answered} answered before the limit`);
    assert.equal((await visitor(t, '10.0.0.10').get('/verify/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).status, 404);
  });
});
