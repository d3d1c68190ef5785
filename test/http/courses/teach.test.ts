import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { insertGroup, insertMember } from '../../../src/modules/groups/index.js';
import { buildUser } from '../../factories.js';
import { postForm, signIn, startTestApp, type Agent, type TestApp } from '../../helpers/http.js';
import { buildCourse } from '../../integration/courses/fixtures.js';

describe('Teaching pages (HTTP)', () => {
  let t: TestApp;
  let trainer: Awaited<ReturnType<typeof buildUser>>;
  let agent: Agent;
  before(async function () {
    this.timeout(60_000);
    t = await startTestApp();
    trainer = await buildUser(t.ctx.db, { roles: ['trainer'] });
    agent = await signIn(t.app, trainer.email, trainer.password);
  });
  after(() => t.close());

  /** An enrolment of the learner in the course, and a cohort of one other member to enrol. */
  const enrolmentAndCohort = async (courseId: string, slug: string, learnerId: string) => {
    const [enrolment] = await t.ctx
      .db('enrolments')
      .insert({ course_id: courseId, user_id: learnerId, registration: randomUUID() })
      .returning('id');
    const group = await insertGroup(t.ctx.db, {
      kind: 'cohort',
      name: `Cohort ${slug}`,
      description: '',
      managedBy: null,
    });
    await insertMember(t.ctx.db, {
      groupId: group.id,
      userId: (await buildUser(t.ctx.db)).id,
      addedBy: null,
    });
    return { enrolment: enrolment as { id: string }, group };
  };

  const activityTitles = async (courseId: string) =>
    (
      (await t.ctx.db('activities').where({ course_id: courseId }).orderBy('position')) as { title: string }[]
    ).map((a) => a.title);

  it('refuses learners: 403 on /teach', async () => {
    const learner = await buildUser(t.ctx.db);
    const la = await signIn(t.app, learner.email, learner.password);
    assert.equal((await la.get('/teach')).status, 403);
    assert.equal((await la.get('/teach/courses/new')).status, 403);
  });

  it('creates a course as a draft, with its slug made from the title', async () => {
    const res = await postForm(agent, '/teach/courses/new', '/teach/courses', {
      title: 'Négocier ses tarifs',
      description: 'Pour les indépendants.',
      language: 'fr',
      visibility: 'public',
      self_enrol: 'on',
    });
    assert.equal(res.status, 303);
    const course = await t.ctx.db('courses').where({ title: 'Négocier ses tarifs' }).first();
    assert.equal(course.slug, 'negocier-ses-tarifs');
    assert.equal(course.status, 'draft');
    assert.equal(course.owner_id, trainer.id);
    assert.equal(course.self_enrol, true);
    assert.equal(res.headers.location, `/teach/courses/${course.id}`);
    assert.match((await agent.get('/teach')).text, /Négocier ses tarifs/);
  });

  it('explains what is wrong with a form, in the user language', async () => {
    const res = await postForm(agent, '/teach/courses/new', '/teach/courses', {
      title: '  ',
      slug: 'Not A Slug!',
      language: 'xx',
      visibility: 'public',
    });
    assert.equal(res.status, 422);
    assert.match(res.text, /Enter a title for the course\./);
    assert.match(res.text, /Use only lowercase letters a–z/);
    assert.match(res.text, /Choose the language of the course\./);
    assert.match(res.text, /aria-invalid="true"/);

    const german = await buildUser(t.ctx.db, { roles: ['trainer'], language: 'de' });
    const ga = await signIn(t.app, german.email, german.password);
    const de = await postForm(ga, '/teach/courses/new', '/teach/courses', {
      title: '',
      language: 'de',
      visibility: 'x',
    });
    assert.equal(de.status, 422);
    assert.match(de.text, /Geben Sie einen Titel für den Kurs ein\./);
    assert.match(de.text, /Wählen Sie, wer den Kurs sehen kann\./);
  });

  it('refuses a course form without its CSRF token', async () => {
    const c = await buildCourse(t.ctx.db, { ownerId: trainer.id });
    await agent.get(`/teach/courses/${c.id}/edit`);
    const res = await agent
      .post(`/teach/courses/${c.id}/edit`)
      .type('form')
      .send({ title: 'Hijacked', language: 'en', visibility: 'public' });
    assert.equal(res.status, 403);
    assert.equal((await t.ctx.db('courses').where({ id: c.id }).first()).title, c.title);
  });

  it('does not let a trainer see or edit another trainer course', async () => {
    const other = await buildUser(t.ctx.db, { roles: ['trainer'] });
    const theirs = await buildCourse(t.ctx.db, { ownerId: other.id, pages: 1 });
    assert.equal((await agent.get(`/teach/courses/${theirs.id}`)).status, 404);
    assert.equal((await agent.get(`/teach/courses/${theirs.id}/edit`)).status, 404);
    assert.equal((await agent.get(`/teach/courses/${theirs.id}/enrolments`)).status, 404);
    const edit = await postForm(agent, '/teach', `/teach/courses/${theirs.id}/edit`, {
      title: 'Mine now',
      language: 'en',
      visibility: 'public',
    });
    assert.equal(edit.status, 404);
    const move = await postForm(
      agent,
      '/teach',
      `/teach/courses/${theirs.id}/activities/${theirs.activityIds[0]}/move`,
      {
        direction: 'down',
      },
    );
    assert.equal(move.status, 404);
    const status = await postForm(agent, '/teach', `/teach/courses/${theirs.id}/status`, {
      status: 'archived',
    });
    assert.equal(status.status, 404);
    const row = await t.ctx.db('courses').where({ id: theirs.id }).first();
    assert.equal(row.title, theirs.title);
    assert.equal(row.status, 'published');
    assert.doesNotMatch((await agent.get('/teach')).text, new RegExp(theirs.title));
  });

  it('refuses another trainer every activity and enrolment route of a course with 404, changing nothing', async () => {
    const other = await buildUser(t.ctx.db, { roles: ['trainer'] });
    const theirs = await buildCourse(t.ctx.db, { ownerId: other.id, pages: 1 });
    const mine = await buildCourse(t.ctx.db, { ownerId: trainer.id, pages: 1 });
    const learner = await buildUser(t.ctx.db);
    const { enrolment, group } = await enrolmentAndCohort(theirs.id, theirs.slug, learner.id);

    const page = `/teach/courses/${theirs.id}`;
    const activity = `${page}/activities/${theirs.activityIds[0]}`;
    // another course's activity through my own course is not found either
    const through = `/teach/courses/${mine.id}/activities/${theirs.activityIds[0]}`;
    for (const path of [
      `${page}/activities/new`,
      `${activity}/edit`,
      `${activity}/delete`,
      `${through}/edit`,
      `${through}/delete`,
    ])
      assert.equal((await agent.get(path)).status, 404, `GET ${path}`);
    const posts: [string, Record<string, unknown>][] = [
      [`${page}/activities`, { title: 'Sneaked in', body: 'x' }],
      [`${activity}/edit`, { title: 'Renamed', body: 'x' }],
      [`${activity}/delete`, {}],
      [`${through}/edit`, { title: 'Renamed', body: 'x' }],
      [`${through}/delete`, {}],
      [`${page}/enrolments`, { email: (await buildUser(t.ctx.db)).email }],
      [`${page}/enrolments/group`, { group_id: group.id }],
      [`${page}/enrolments/${enrolment.id}/withdraw`, {}],
    ];
    for (const [path, fields] of posts)
      assert.equal((await postForm(agent, '/teach', path, fields)).status, 404, `POST ${path}`);

    assert.deepEqual(await activityTitles(theirs.id), ['Page 1']);
    assert.deepEqual(await activityTitles(mine.id), ['Page 1']);
    const rows = await t.ctx.db('enrolments').where({ course_id: theirs.id });
    assert.deepEqual(
      rows.map((r: { status: string }) => r.status),
      ['active'],
    );
  });

  it('refuses the owner enrolling a group or withdrawing (403), and a bad or unknown group (422)', async () => {
    const course = await buildCourse(t.ctx.db, { ownerId: trainer.id });
    const page = `/teach/courses/${course.id}/enrolments`;
    const learner = await buildUser(t.ctx.db);
    const { enrolment, group } = await enrolmentAndCohort(course.id, course.slug, learner.id);
    for (const [action, fields] of [
      [`${page}/group`, { group_id: group.id }],
      [`${page}/${enrolment.id}/withdraw`, {}],
    ] as const) {
      const res = await postForm(agent, page, action, fields);
      assert.equal(res.status, 403, action);
      assert.match(res.text, /You do not have permission to do this\./, 'refused by role, not by CSRF');
    }
    const rows = await t.ctx.db('enrolments').where({ course_id: course.id });
    assert.deepEqual(
      rows.map((r: { status: string }) => r.status),
      ['active'],
    );

    const coordinator = await buildUser(t.ctx.db, { roles: ['coordinator'] });
    const ca = await signIn(t.app, coordinator.email, coordinator.password);
    for (const group_id of ['not-a-uuid', '00000000-0000-4000-8000-000000000000']) {
      const res = await postForm(ca, page, `${page}/group`, { group_id });
      assert.equal(res.status, 422, group_id);
      assert.match(res.text, /Choose a group\./);
    }
    assert.equal((await t.ctx.db('enrolments').where({ course_id: course.id })).length, 1);
  });

  it('adds page activities, reorders them with the move buttons, edits and deletes them', async () => {
    const c = await buildCourse(t.ctx.db, { ownerId: trainer.id, status: 'draft' });
    const page = `/teach/courses/${c.id}`;
    for (const title of ['One', 'Two', 'Three'])
      assert.equal(
        (await postForm(agent, `${page}/activities/new`, `${page}/activities`, { title, body: `# ${title}` }))
          .status,
        303,
      );
    assert.deepEqual(await activityTitles(c.id), ['One', 'Two', 'Three']);
    const [one, , three] = await t.ctx.db('activities').where({ course_id: c.id }).orderBy('position');

    const html = (await agent.get(page)).text;
    assert.match(html, /Move up<span class="visually-hidden">: Three<\/span>/);
    const res = await postForm(agent, page, `${page}/activities/${three.id}/move`, { direction: 'up' });
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, `${page}#activity-${three.id}`);
    assert.deepEqual(await activityTitles(c.id), ['One', 'Three', 'Two']);
    assert.match((await agent.get(page)).text, /“Three” is now activity 2 of 3\./);
    await postForm(agent, page, `${page}/activities/${one.id}/move`, { direction: 'down' });
    assert.deepEqual(await activityTitles(c.id), ['Three', 'One', 'Two']);
    const bad = await postForm(agent, page, `${page}/activities/${one.id}/move`, { direction: 'sideways' });
    assert.equal(bad.status, 422);

    const editPath = `${page}/activities/${one.id}/edit`;
    const empty = await postForm(agent, editPath, editPath, { title: '', body: 'x' });
    assert.equal(empty.status, 422);
    assert.match(empty.text, /Enter a title for the page\./);
    await postForm(agent, editPath, editPath, { title: 'One, revised', body: 'New **text**' });
    assert.deepEqual(await activityTitles(c.id), ['Three', 'One, revised', 'Two']);

    const del = `${page}/activities/${one.id}/delete`;
    assert.match((await agent.get(del)).text, /Delete “One, revised”\?/);
    assert.equal((await postForm(agent, del, del, {})).status, 303);
    assert.deepEqual(await activityTitles(c.id), ['Three', 'Two']);
  });

  it('publishes, archives and takes a course back to draft', async () => {
    const c = await buildCourse(t.ctx.db, {
      ownerId: trainer.id,
      status: 'draft',
      title: 'Lifecycle course',
    });
    const page = `/teach/courses/${c.id}`;
    const status = async () => (await t.ctx.db('courses').where({ id: c.id }).first()).status;
    await postForm(agent, page, `${page}/status`, { status: 'published' });
    assert.equal(await status(), 'published');
    assert.ok((await t.ctx.db('courses').where({ id: c.id }).first()).published_at);
    await postForm(agent, page, `${page}/status`, { status: 'archived' });
    assert.equal(await status(), 'archived');
    await postForm(agent, page, `${page}/status`, { status: 'draft' });
    assert.equal(await status(), 'draft');
    assert.equal((await postForm(agent, page, `${page}/status`, { status: 'deleted' })).status, 422);
  });

  it('keeps a course with enrolled learners out of draft, and says to archive it instead', async () => {
    const c = await buildCourse(t.ctx.db, { ownerId: trainer.id, title: 'Course with learners' });
    const learner = await buildUser(t.ctx.db);
    const [e] = await t.ctx
      .db('enrolments')
      .insert({ course_id: c.id, user_id: learner.id, registration: randomUUID() })
      .returning('id');
    const page = `/teach/courses/${c.id}`;
    const status = async () => (await t.ctx.db('courses').where({ id: c.id }).first()).status;
    const html = (await agent.get(page)).text;
    assert.doesNotMatch(html, /Back to draft/);
    assert.match(html, /cannot go back to draft while learners are enrolled/);
    const refused = await postForm(agent, page, `${page}/status`, { status: 'draft' });
    assert.equal(refused.status, 409);
    assert.match(refused.text, /Learners are enrolled in this course, so it cannot go back to draft/);
    assert.match(refused.text, /Archive it instead/);
    assert.equal(await status(), 'published');
    await postForm(agent, page, `${page}/status`, { status: 'archived' });
    assert.equal(await status(), 'archived');
    assert.equal((await postForm(agent, page, `${page}/status`, { status: 'draft' })).status, 409);
    assert.equal(await status(), 'archived');
    await postForm(agent, page, `${page}/status`, { status: 'published' });
    assert.equal(await status(), 'published');
    // once nobody is enrolled any more, a draft again
    await t.ctx.db('enrolments').where({ id: e.id }).update({ status: 'withdrawn' });
    assert.match((await agent.get(page)).text, /Back to draft/);
    assert.equal((await postForm(agent, page, `${page}/status`, { status: 'draft' })).status, 303);
    assert.equal(await status(), 'draft');
  });

  it('shows coordinators every course', async () => {
    const coordinator = await buildUser(t.ctx.db, { roles: ['coordinator'] });
    const ca = await signIn(t.app, coordinator.email, coordinator.password);
    const c = await buildCourse(t.ctx.db, { ownerId: trainer.id, title: 'Seen by coordinators' });
    assert.match((await ca.get('/teach')).text, /Seen by coordinators/);
    assert.equal((await ca.get(`/teach/courses/${c.id}/edit`)).status, 200);
  });
});
