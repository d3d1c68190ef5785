import assert from 'node:assert/strict';
import type { Database } from '../../../src/platform/db.js';
import { ValidationFailed, NotFound } from '../../../src/platform/errors.js';
import { toSessionUser } from '../../../src/modules/accounts/accounts.repo.js';
import * as activities from '../../../src/modules/courses/activities.service.js';
import { listActivities } from '../../../src/modules/courses/activities.repo.js';
import * as courses from '../../../src/modules/courses/courses.service.js';
import { CourseForm } from '../../../src/modules/courses/courses.schemas.js';
import { buildUser } from '../../factories.js';
import { createTestDatabase } from '../../helpers/db.js';
import { buildCourse } from './fixtures.js';

const form = (o: Record<string, string> = {}) =>
  CourseForm.parse({ title: 'First steps', language: 'en', visibility: 'public', ...o });

describe('courses service (database)', () => {
  let d: Database;
  before(async function () {
    this.timeout(60_000);
    d = await createTestDatabase();
  });
  after(() => d.close());

  it('makes a unique slug from the title, and refuses a slug that is taken', async () => {
    const trainer = toSessionUser(await buildUser(d.db, { roles: ['trainer'] }));
    const a = await courses.createCourse(d.db, trainer, form({ title: 'Slug Test Course' }));
    const b = await courses.createCourse(d.db, trainer, form({ title: 'Slug test course!' }));
    assert.equal(a.slug, 'slug-test-course');
    assert.equal(b.slug, 'slug-test-course-2');
    assert.equal(a.status, 'draft');
    assert.equal(a.owner_id, trainer.id);
    await assert.rejects(
      courses.createCourse(d.db, trainer, form({ slug: 'slug-test-course' })),
      (e: unknown) => e instanceof ValidationFailed && e.fields.slug === 'courses:errors.slugTaken',
    );
    // Saving a course with its own slug is fine.
    await courses.updateCourse(d.db, trainer, a.id, form({ title: 'Renamed', slug: 'slug-test-course' }));
  });

  it('hands a course to another owner only if they may teach', async () => {
    const coordinator = toSessionUser(await buildUser(d.db, { roles: ['coordinator'] }));
    const trainer = await buildUser(d.db, { roles: ['trainer'] });
    const learner = await buildUser(d.db, { roles: ['learner'] });
    const c = await courses.createCourse(d.db, coordinator, form({ owner_email: trainer.email }));
    assert.equal(c.owner_id, trainer.id);
    await assert.rejects(
      courses.updateCourse(d.db, coordinator, c.id, form({ owner_email: learner.email })),
      (e: unknown) =>
        e instanceof ValidationFailed && e.fields.owner_email === 'courses:errors.ownerNotTrainer',
    );
  });

  it('does not let a trainer edit another trainer course', async () => {
    const owner = await buildUser(d.db, { roles: ['trainer'] });
    const other = toSessionUser(await buildUser(d.db, { roles: ['trainer'] }));
    const c = await buildCourse(d.db, { ownerId: owner.id });
    await assert.rejects(courses.updateCourse(d.db, other, c.id, form()), NotFound);
    await assert.rejects(courses.setCourseStatus(d.db, other, c.id, 'archived'), NotFound);
  });

  it('searches the catalogue by title with LIKE characters taken literally, and by language', async () => {
    const owner = await buildUser(d.db, { roles: ['trainer'] });
    await buildCourse(d.db, { ownerId: owner.id, title: 'Taxes 100% explained', language: 'de' });
    await buildCourse(d.db, { ownerId: owner.id, title: 'Taxes 1000 explained', language: 'fr' });
    const literal = await courses.catalogue(d.db, undefined, { q: '100%', page: 1 });
    assert.deepEqual(
      literal.courses.map((c) => c.title),
      ['Taxes 100% explained'],
    );
    const german = await courses.catalogue(d.db, undefined, { q: 'taxes', lang: 'de', page: 1 });
    assert.deepEqual(
      german.courses.map((c) => c.title),
      ['Taxes 100% explained'],
    );
  });

  it('adds, reorders and deletes page activities', async () => {
    const owner = toSessionUser(await buildUser(d.db, { roles: ['trainer'] }));
    const c = await buildCourse(d.db, { ownerId: owner.id });
    const a = await activities.addPage(d.db, owner, c.id, { title: 'A', body: 'a' });
    const b = await activities.addPage(d.db, owner, c.id, { title: 'B', body: 'b' });
    const x = await activities.addPage(d.db, owner, c.id, { title: 'C', body: 'c' });
    const titles = async () => (await listActivities(d.db, c.id)).map((r) => r.title);
    assert.deepEqual(await titles(), ['A', 'B', 'C']);

    const moved = await activities.moveActivity(d.db, owner, c.id, x.id, 'up');
    assert.deepEqual({ place: moved.place, of: moved.of }, { place: 2, of: 3 });
    assert.deepEqual(await titles(), ['A', 'C', 'B']);
    await activities.moveActivity(d.db, owner, c.id, a.id, 'up'); // already first: nothing changes
    await activities.moveActivity(d.db, owner, c.id, a.id, 'down');
    assert.deepEqual(await titles(), ['C', 'A', 'B']);

    await activities.deleteActivity(d.db, owner, c.id, b.id);
    assert.deepEqual(await titles(), ['C', 'A']);
    const pages = await d.db('pages').where({ course_id: c.id }).count({ n: '*' });
    assert.equal(Number(pages[0]!.n), 2, 'the page of the deleted activity is gone too');
    const d2 = await activities.addPage(d.db, owner, c.id, { title: 'D', body: '' });
    assert.deepEqual(await titles(), ['C', 'A', 'D']);
    assert.ok(d2.position > a.position);
  });

  it('does not find an activity through another course', async () => {
    const owner = toSessionUser(await buildUser(d.db, { roles: ['trainer'] }));
    const mine = await buildCourse(d.db, { ownerId: owner.id, pages: 1 });
    const theirs = await buildCourse(d.db, {
      ownerId: (await buildUser(d.db, { roles: ['trainer'] })).id,
      pages: 1,
    });
    await assert.rejects(activities.deleteActivity(d.db, owner, mine.id, theirs.activityIds[0]!), NotFound);
    await assert.rejects(
      activities.moveActivity(d.db, owner, mine.id, theirs.activityIds[0]!, 'up'),
      NotFound,
    );
  });

  it('counts what the home page shows', async () => {
    const trainer = toSessionUser(await buildUser(d.db, { roles: ['trainer', 'learner'] }));
    await buildCourse(d.db, { ownerId: trainer.id });
    await buildCourse(d.db, { ownerId: trainer.id, status: 'archived' });
    const s = await courses.homeSummary(d.db, trainer);
    assert.equal(s.ownCourses, 1);
    assert.equal(s.enrolments, 0);
    assert.ok(s.users >= 1);
    assert.equal(typeof s.groups, 'number');
  });
});
