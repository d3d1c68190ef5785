import assert from 'node:assert/strict';
import supertest from 'supertest';
import { buildUser } from '../../factories.js';
import { signIn, startTestApp, type TestApp } from '../../helpers/http.js';
import { buildCourse } from '../../integration/courses/fixtures.js';

describe('catalogue and course pages (HTTP)', () => {
  let t: TestApp;
  let ownerId: string;
  before(async function () {
    this.timeout(60_000);
    t = await startTestApp();
    ownerId = (await buildUser(t.ctx.db, { roles: ['trainer'] })).id;
    await buildCourse(t.ctx.db, { ownerId, title: 'Bookkeeping for beginners', language: 'en' });
    await buildCourse(t.ctx.db, { ownerId, title: 'Buchhaltung für Einsteiger', language: 'de' });
    await buildCourse(t.ctx.db, { ownerId, title: 'Members bookkeeping club', visibility: 'members' });
    await buildCourse(t.ctx.db, { ownerId, title: 'Secret bookkeeping draft', status: 'draft' });
    await buildCourse(t.ctx.db, { ownerId, title: 'Old bookkeeping', status: 'archived' });
  });
  after(() => t.close());

  it('searches by title and filters by language', async () => {
    const visitor = supertest(t.app);
    const search = await visitor.get('/courses?q=BOOKKEEPING');
    assert.equal(search.status, 200);
    assert.match(search.text, /Bookkeeping for beginners/);
    assert.doesNotMatch(search.text, /Buchhaltung/);
    const german = await visitor.get('/courses?lang=de');
    assert.match(german.text, /Buchhaltung für Einsteiger/);
    assert.doesNotMatch(german.text, /Bookkeeping for beginners/);
    const none = await visitor.get('/courses?q=' + encodeURIComponent('%'));
    assert.match(none.text, /No course matches/);
  });

  it('shows visitors the public courses only, members the members-only ones too', async () => {
    const visitor = supertest(t.app);
    const open = await t.ctx.db('courses').where({ title: 'Bookkeeping for beginners' }).first();
    const page = await visitor.get(`/courses/${open.slug}`);
    assert.equal(page.status, 200);
    assert.match(page.text, /Sign in to enrol in this course\./);
    assert.ok(page.text.includes(`href="/signin?next=${encodeURIComponent(`/courses/${open.slug}`)}"`));
    const list = await visitor.get('/courses?q=bookkeeping');
    assert.doesNotMatch(list.text, /Members bookkeeping club/);
    const course = await t.ctx.db('courses').where({ title: 'Members bookkeeping club' }).first();
    assert.equal((await visitor.get(`/courses/${course.slug}`)).status, 404);

    const learner = await buildUser(t.ctx.db);
    const agent = await signIn(t.app, learner.email, learner.password);
    assert.match((await agent.get('/courses?q=bookkeeping')).text, /Members bookkeeping club/);
    assert.equal((await agent.get(`/courses/${course.slug}`)).status, 200);
  });

  it('hides drafts and archived courses from learners, and shows drafts to their owner', async () => {
    const learner = await buildUser(t.ctx.db);
    const agent = await signIn(t.app, learner.email, learner.password);
    const list = await agent.get('/courses?q=bookkeeping');
    assert.doesNotMatch(list.text, /Secret bookkeeping draft|Old bookkeeping/);
    const draft = await t.ctx.db('courses').where({ title: 'Secret bookkeeping draft' }).first();
    const page = await agent.get(`/courses/${draft.slug}`);
    assert.equal(page.status, 404);
    assert.equal((await agent.get('/courses/no-such-course')).status, 404);

    const owner = await t.ctx.db('users').where({ id: ownerId }).first();
    const ownerAgent = await signIn(t.app, owner.email, 'correct horse battery staple');
    const own = await ownerAgent.get(`/courses/${draft.slug}`);
    assert.equal(own.status, 200);
    assert.match(own.text, /Draft/);
  });

  it('paginates the catalogue', async () => {
    for (let i = 0; i < 13; i++)
      await buildCourse(t.ctx.db, { ownerId, title: `Paged course ${String(i).padStart(2, '0')}` });
    const visitor = supertest(t.app);
    const first = await visitor.get('/courses?q=paged');
    assert.match(first.text, /13 courses/);
    assert.match(first.text, /Paged course 11/);
    assert.doesNotMatch(first.text, /Paged course 12/);
    assert.match(first.text, /Page 1 of 2/);
    const second = await visitor.get('/courses?q=paged&page=2');
    assert.match(second.text, /Paged course 12/);
  });

  it('shows the catalogue in the visitor language', async () => {
    const res = await supertest(t.app).get('/courses?lang=de').set('Accept-Language', 'de');
    assert.match(res.text, /Titel enthält/);
    assert.match(
      res.text,
      /<option value="fr" lang="fr" >Français<\/option>/,
      'the language switcher is intact',
    );
    assert.match(res.text, /Deutsch/);
  });
});
