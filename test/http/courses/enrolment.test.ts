import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import supertest from 'supertest';
import { DEFAULT_PASSWORD, buildUser } from '../../factories.js';
import { csrfFrom, postForm, signIn, startTestApp, type TestApp } from '../../helpers/http.js';
import { UUID_V4, buildCourse } from '../../integration/courses/fixtures.js';

describe('enrolment and My learning (HTTP)', () => {
  let t: TestApp;
  let ownerId: string;
  before(async function () {
    this.timeout(60_000);
    t = await startTestApp();
    ownerId = (await buildUser(t.ctx.db, { roles: ['trainer'] })).id;
  });
  after(() => t.close());

  it('self-enrols a learner with a UUID registration, shown on My learning; twice makes one enrolment', async () => {
    const c = await buildCourse(t.ctx.db, { ownerId, title: 'Self service course', pages: 2 });
    const learner = await buildUser(t.ctx.db);
    const agent = await signIn(t.app, learner.email, learner.password);
    const before = await agent.get(`/courses/${c.slug}`);
    assert.match(before.text, /Enrol in this course/);
    assert.doesNotMatch(before.text, new RegExp(`/activities/${c.activityIds[0]}`), 'no activity links yet');

    const res = await postForm(agent, `/courses/${c.slug}`, `/courses/${c.slug}/enrol`, {});
    assert.equal(res.status, 303);
    const page = await agent.get(`/courses/${c.slug}`);
    assert.match(page.text, /You are now enrolled in “Self service course”/);
    assert.match(page.text, new RegExp(`href="/courses/${c.slug}/activities/${c.activityIds[0]}">Continue`));

    const row = await t.ctx.db('enrolments').where({ course_id: c.id, user_id: learner.id }).first();
    assert.match(row.registration, UUID_V4);
    const mine = await agent.get('/my-learning');
    assert.match(mine.text, /Self service course/);
    // nothing done yet: not started, 0 %, and a Start link to the first activity that names the course
    assert.match(mine.text, /Not started/);
    assert.match(mine.text, /<progress max="100" value="0" aria-hidden="true"><\/progress>\s*0%/);
    assert.ok(
      mine.text.includes(
        `href="/courses/${c.slug}/activities/${c.activityIds[0]}">Start<span class="visually-hidden">: Self service course</span></a>`,
      ),
    );
    assert.match(mine.text, new RegExp(`/my-learning/enrolments/${row.id}`));
    const detail = await agent.get(`/my-learning/enrolments/${row.id}`);
    assert.equal(detail.status, 200);
    assert.ok(detail.text.includes(row.registration));

    const twice = await agent
      .post(`/courses/${c.slug}/enrol`)
      .type('form')
      .send({ _csrf: await token(agent, c.slug) });
    assert.equal(twice.status, 303);
    assert.match(
      (await agent.get(`/courses/${c.slug}`)).text,
      /You are enrolled in “Self service course” already/,
    );
    const rows = await t.ctx.db('enrolments').where({ course_id: c.id });
    assert.equal(rows.length, 1);
  });

  it('refuses self-enrolment into a course that does not allow it', async () => {
    const c = await buildCourse(t.ctx.db, { ownerId, selfEnrol: false });
    const learner = await buildUser(t.ctx.db);
    const agent = await signIn(t.app, learner.email, learner.password);
    const page = await agent.get(`/courses/${c.slug}`);
    assert.doesNotMatch(page.text, /Enrol in this course/);
    assert.match(page.text, /arranged by the coordinators/);
    const res = await postForm(agent, `/courses/${c.slug}`, `/courses/${c.slug}/enrol`, {});
    assert.equal(res.status, 403);
    assert.match(res.text, /You cannot enrol yourself in this course/);
  });

  it('opens activities to enrolled learners only; visitors are sent to sign in', async () => {
    const c = await buildCourse(t.ctx.db, { ownerId, pages: 2 });
    const path = `/courses/${c.slug}/activities/${c.activityIds[0]}`;
    const visitor = await supertest(t.app).get(path);
    assert.equal(visitor.status, 303);
    assert.match(visitor.headers.location!, /^\/signin\?next=/);

    const learner = await buildUser(t.ctx.db);
    const agent = await signIn(t.app, learner.email, learner.password);
    assert.equal((await agent.get(path)).status, 403);
    await postForm(agent, `/courses/${c.slug}`, `/courses/${c.slug}/enrol`, {});
    const open = await agent.get(path);
    assert.equal(open.status, 200);
    assert.match(open.text, /Text of page 1/);
    assert.match(open.text, /Activity 1 of 2/);
    assert.match(open.text, /Next: Page 2/);
    // An activity id of another course is not found through this one.
    const other = await buildCourse(t.ctx.db, { ownerId, pages: 1 });
    assert.equal((await agent.get(`/courses/${c.slug}/activities/${other.activityIds[0]}`)).status, 404);
  });

  it('answers 404 when a learner opens another learner enrolment, as for one that does not exist', async () => {
    const c = await buildCourse(t.ctx.db, { ownerId });
    const alice = await buildUser(t.ctx.db);
    const bob = await buildUser(t.ctx.db);
    const aliceAgent = await signIn(t.app, alice.email, alice.password);
    await postForm(aliceAgent, `/courses/${c.slug}`, `/courses/${c.slug}/enrol`, {});
    const row = await t.ctx.db('enrolments').where({ course_id: c.id, user_id: alice.id }).first();

    const bobAgent = await signIn(t.app, bob.email, bob.password);
    const theirs = await bobAgent.get(`/my-learning/enrolments/${row.id}`);
    const missing = await bobAgent.get('/my-learning/enrolments/00000000-0000-4000-8000-000000000000');
    assert.equal(theirs.status, 404);
    assert.equal(missing.status, 404);
    assert.doesNotMatch(theirs.text, new RegExp(alice.name));
    assert.doesNotMatch((await bobAgent.get('/my-learning')).text, new RegExp(c.title));

    const coordinator = await buildUser(t.ctx.db, { roles: ['coordinator'] });
    const coordAgent = await signIn(t.app, coordinator.email, coordinator.password);
    assert.equal((await coordAgent.get(`/my-learning/enrolments/${row.id}`)).status, 200);
    // a trainer sees the enrolments of their own courses only
    const trainer = await buildUser(t.ctx.db, { roles: ['trainer'] });
    const trainerAgent = await signIn(t.app, trainer.email, trainer.password);
    const notTheirs = await trainerAgent.get(`/my-learning/enrolments/${row.id}`);
    assert.equal(notTheirs.status, 404);
    assert.doesNotMatch(notTheirs.text, new RegExp(alice.name));
    const owner = await t.ctx.db('users').where({ id: ownerId }).first();
    const ownerAgent = await signIn(t.app, owner.email, DEFAULT_PASSWORD);
    assert.equal((await ownerAgent.get(`/my-learning/enrolments/${row.id}`)).status, 200);
  });

  it('hides an archived course from all but its live enrolments, and refuses new enrolments in it', async () => {
    const c = await buildCourse(t.ctx.db, { ownerId, pages: 1, status: 'archived', title: 'Old course' });
    const activity = `/courses/${c.slug}/activities/${c.activityIds[0]}`;
    assert.equal((await supertest(t.app).get(`/courses/${c.slug}`)).status, 404);
    const stranger = await buildUser(t.ctx.db);
    const sa = await signIn(t.app, stranger.email, stranger.password);
    assert.equal((await sa.get(`/courses/${c.slug}`)).status, 404);
    assert.equal((await postForm(sa, '/my-learning', `/courses/${c.slug}/enrol`, {})).status, 404);
    assert.equal((await t.ctx.db('enrolments').where({ course_id: c.id })).length, 0);

    const coordinator = await buildUser(t.ctx.db, { roles: ['coordinator'] });
    const ca = await signIn(t.app, coordinator.email, coordinator.password);
    const page = `/teach/courses/${c.id}/enrolments`;
    const refused = await postForm(ca, page, page, { email: stranger.email });
    assert.equal(refused.status, 409);
    assert.match(refused.text, /This course is archived: publish it again before enrolling learners\./);
    assert.equal((await t.ctx.db('enrolments').where({ course_id: c.id })).length, 0);

    // enrolled before it was archived: the course and its activities stay open, until withdrawn
    const learner = await buildUser(t.ctx.db);
    await t.ctx.db('courses').where({ id: c.id }).update({ status: 'published' });
    await postForm(ca, page, page, { email: learner.email });
    await postForm(ca, `/teach/courses/${c.id}`, `/teach/courses/${c.id}/status`, { status: 'archived' });
    assert.equal((await t.ctx.db('courses').where({ id: c.id }).first()).status, 'archived');
    const la = await signIn(t.app, learner.email, learner.password);
    assert.equal((await la.get(`/courses/${c.slug}`)).status, 200);
    assert.equal((await la.get(activity)).status, 200);
    const row = await t.ctx.db('enrolments').where({ course_id: c.id, user_id: learner.id }).first();
    await postForm(ca, page, `${page}/${row.id}/withdraw`, {});
    assert.equal((await la.get(`/courses/${c.slug}`)).status, 404);
    assert.equal((await la.get(activity)).status, 404);
  });

  it('hides a draft from learners, even enrolled ones', async () => {
    const c = await buildCourse(t.ctx.db, { ownerId, pages: 1, status: 'draft' });
    const learner = await buildUser(t.ctx.db);
    await t.ctx.db('enrolments').insert({ course_id: c.id, user_id: learner.id, registration: randomUUID() });
    const stranger = await buildUser(t.ctx.db);
    for (const u of [stranger, learner]) {
      const agent = await signIn(t.app, u.email, u.password);
      assert.equal((await agent.get(`/courses/${c.slug}`)).status, 404);
      assert.equal((await agent.get(`/courses/${c.slug}/activities/${c.activityIds[0]}`)).status, 404);
    }
  });

  it('sends an enrol form sent without a signed-in session to sign in, and from there back to the course', async () => {
    const c = await buildCourse(t.ctx.db, { ownerId, title: 'Course after sign-in' });
    const learner = await buildUser(t.ctx.db);
    const agent = supertest.agent(t.app);
    const res = await postForm(agent, `/courses/${c.slug}`, `/courses/${c.slug}/enrol`, {});
    assert.equal(res.status, 303);
    const signInPage = `/signin?next=${encodeURIComponent(`/courses/${c.slug}`)}`;
    assert.equal(res.headers.location, signInPage);
    assert.equal((await t.ctx.db('enrolments').where({ course_id: c.id })).length, 0);
    const next = /name="next" value="([^"]+)"/.exec((await agent.get(signInPage)).text)![1];
    const signedIn = await postForm(agent, signInPage, '/signin', {
      email: learner.email,
      password: learner.password,
      next,
    });
    assert.equal(signedIn.headers.location, `/courses/${c.slug}`);
    assert.match((await agent.get(`/courses/${c.slug}`)).text, /Enrol in this course/);

    // a script asking for JSON is still answered 401
    const visitor = supertest.agent(t.app);
    const _csrf = await csrfFrom(visitor, `/courses/${c.slug}`);
    const json = await visitor
      .post(`/courses/${c.slug}/enrol`)
      .set('Accept', 'application/json')
      .type('form')
      .send({ _csrf });
    assert.equal(json.status, 401);
  });

  it('sends visitors of My learning to sign in', async () => {
    const res = await supertest(t.app).get('/my-learning');
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, '/signin?next=%2Fmy-learning');
  });
});

async function token(agent: ReturnType<typeof supertest.agent>, slug: string): Promise<string> {
  const res = await agent.get(`/courses/${slug}`);
  return /name="_csrf" value="([^"]+)"/.exec(res.text)![1]!;
}
