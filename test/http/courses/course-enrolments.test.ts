import assert from 'node:assert/strict';
import { buildUser } from '../../factories.js';
import { postForm, signIn, startTestApp, type Agent, type TestApp } from '../../helpers/http.js';
import { buildCourse } from '../../integration/courses/fixtures.js';

describe('enrolments of a course (HTTP)', () => {
  let t: TestApp;
  let coordinator: Agent;
  let coordinatorId: string;
  let ownerId: string;
  before(async function () {
    this.timeout(60_000);
    t = await startTestApp();
    const c = await buildUser(t.ctx.db, { roles: ['coordinator'] });
    coordinatorId = c.id;
    coordinator = await signIn(t.app, c.email, c.password);
    ownerId = (await buildUser(t.ctx.db, { roles: ['trainer'] })).id;
  });
  after(() => t.close());

  it('lets a coordinator enrol a whole group, skipping members enrolled already', async () => {
    const course = await buildCourse(t.ctx.db, { ownerId, selfEnrol: false });
    const members = [await buildUser(t.ctx.db), await buildUser(t.ctx.db), await buildUser(t.ctx.db)];
    const created = await postForm(coordinator, '/groups/new', '/groups', {
      name: 'Spring cohort',
      kind: 'cohort',
    });
    const groupPath = created.headers.location!;
    for (const m of members)
      await postForm(coordinator, groupPath, `${groupPath}/members`, { email: m.email });

    const page = `/teach/courses/${course.id}/enrolments`;
    await postForm(coordinator, page, page, { email: members[0]!.email });
    const groupId = groupPath.split('/').pop()!;
    const res = await postForm(coordinator, page, `${page}/group`, { group_id: groupId });
    assert.equal(res.status, 303);
    const after = await coordinator.get(page);
    assert.match(after.text, /Spring cohort: 2 members enrolled, 1 skipped \(enrolled already\)\./);
    assert.match(after.text, /3 enrolments/);
    const rows = await t.ctx.db('enrolments').where({ course_id: course.id });
    assert.equal(rows.length, 3);
  });

  it('enrols one learner by email, says so when they are enrolled already, and withdraws them', async () => {
    const course = await buildCourse(t.ctx.db, { ownerId });
    const learner = await buildUser(t.ctx.db);
    const page = `/teach/courses/${course.id}/enrolments`;
    await postForm(coordinator, page, page, { email: learner.email });
    assert.match((await coordinator.get(page)).text, new RegExp(`${learner.name} is now enrolled\\.`));
    await postForm(coordinator, page, page, { email: learner.email });
    assert.match((await coordinator.get(page)).text, new RegExp(`${learner.name} is enrolled already\\.`));

    const unknown = await postForm(coordinator, page, page, { email: 'nobody@example.org' });
    assert.equal(unknown.status, 422);
    assert.match(unknown.text, /No account has this email address/);
    const invalid = await postForm(coordinator, page, page, { email: 'not-an-email' });
    assert.equal(invalid.status, 422);
    assert.match(invalid.text, /Enter an email address such as name@example\.org\./);

    const row = await t.ctx.db('enrolments').where({ course_id: course.id, user_id: learner.id }).first();
    const res = await postForm(coordinator, page, `${page}/${row.id}/withdraw`, {});
    assert.equal(res.status, 303);
    assert.equal((await t.ctx.db('enrolments').where({ id: row.id }).first()).status, 'withdrawn');
  });

  it('keeps a learner withdrawn by a coordinator from enrolling again; the coordinator re-enrols them', async () => {
    const course = await buildCourse(t.ctx.db, { ownerId, pages: 1, title: 'Course to come back to' });
    const learner = await buildUser(t.ctx.db);
    const la = await signIn(t.app, learner.email, learner.password);
    const show = `/courses/${course.slug}`;
    await postForm(la, show, `${show}/enrol`, {});
    const before = await t.ctx.db('enrolments').where({ course_id: course.id, user_id: learner.id }).first();
    const page = `/teach/courses/${course.id}/enrolments`;
    await postForm(coordinator, page, `${page}/${before.id}/withdraw`, {});
    const withdrawn = await t.ctx.db('enrolments').where({ id: before.id }).first();
    assert.equal(withdrawn.status, 'withdrawn');
    assert.equal(withdrawn.withdrawn_by, coordinatorId);

    const html = (await la.get(show)).text;
    assert.doesNotMatch(html, /Enrol in this course/);
    assert.match(html, /You were withdrawn from this course, so you cannot enrol yourself again\./);
    const refused = await postForm(la, show, `${show}/enrol`, {});
    assert.equal(refused.status, 403);
    assert.match(
      refused.text,
      /cannot enrol yourself again\. Ask the course&#39;s coordinator to enrol you again\./,
    );
    assert.equal((await t.ctx.db('enrolments').where({ id: before.id }).first()).status, 'withdrawn');

    await postForm(coordinator, page, page, { email: learner.email });
    const back = await t.ctx.db('enrolments').where({ id: before.id }).first();
    assert.deepEqual(
      [back.status, back.registration, back.withdrawn_by],
      ['active', before.registration, null],
    );
    assert.equal((await la.get(`${show}/activities/${course.activityIds[0]}`)).status, 200);

    // a learner who withdrew themselves may come back on their own, with the same registration
    await t.ctx
      .db('enrolments')
      .where({ id: before.id })
      .update({ status: 'withdrawn', withdrawn_by: learner.id });
    assert.match((await la.get(show)).text, /Enrol in this course/);
    assert.equal((await postForm(la, show, `${show}/enrol`, {})).status, 303);
    const again = await t.ctx.db('enrolments').where({ id: before.id }).first();
    assert.deepEqual([again.status, again.registration], ['active', before.registration]);
  });

  it('shows the owner the list but not the enrol forms; another course enrolment id is not found', async () => {
    const owner = await buildUser(t.ctx.db, { roles: ['trainer'] });
    const ownerAgent = await signIn(t.app, owner.email, owner.password);
    const course = await buildCourse(t.ctx.db, { ownerId: owner.id });
    const page = `/teach/courses/${course.id}/enrolments`;
    const html = (await ownerAgent.get(page)).text;
    assert.match(html, /Coordinators enrol learners and groups/);
    assert.doesNotMatch(html, /Enrol the whole group/);
    const learner = await buildUser(t.ctx.db);
    assert.equal((await postForm(ownerAgent, page, page, { email: learner.email })).status, 403);

    const other = await buildCourse(t.ctx.db, { ownerId });
    await postForm(
      coordinator,
      `/teach/courses/${other.id}/enrolments`,
      `/teach/courses/${other.id}/enrolments`,
      {
        email: learner.email,
      },
    );
    const row = await t.ctx.db('enrolments').where({ course_id: other.id }).first();
    const res = await postForm(coordinator, page, `${page}/${row.id}/withdraw`, {});
    assert.equal(res.status, 404);
  });
});
