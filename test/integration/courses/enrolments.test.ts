import assert from 'node:assert/strict';
import type { Database } from '../../../src/platform/db.js';
import { Forbidden, NotFound, ValidationFailed } from '../../../src/platform/errors.js';
import { toSessionUser } from '../../../src/modules/accounts/accounts.repo.js';
import * as enrolments from '../../../src/modules/courses/enrolments.service.js';
import { enrolLearners } from '../../../src/modules/courses/enrolments.repo.js';
import { createGroup, insertMember } from '../../../src/modules/groups/index.js';
import { buildUser } from '../../factories.js';
import { createTestDatabase } from '../../helpers/db.js';
import { UUID_V4, buildCourse } from './fixtures.js';

describe('enrolments service (database)', () => {
  let d: Database;
  before(async function () {
    this.timeout(60_000);
    d = await createTestDatabase();
  });
  after(() => d.close());

  it('self-enrols once, with a UUID v4 registration; enrolling again changes nothing', async () => {
    const owner = await buildUser(d.db, { roles: ['trainer'] });
    const learner = toSessionUser(await buildUser(d.db));
    const c = await buildCourse(d.db, { ownerId: owner.id });
    const first = await enrolments.selfEnrol(d.db, learner, c.slug);
    assert.equal(first.created, true);
    assert.match(first.enrolment.registration, UUID_V4);
    assert.equal(first.enrolment.enrolled_by, learner.id);
    const again = await enrolments.selfEnrol(d.db, learner, c.slug);
    assert.equal(again.created, false);
    assert.equal(again.enrolment.id, first.enrolment.id);
    const rows = await d.db('enrolments').where({ course_id: c.id });
    assert.equal(rows.length, 1);
  });

  it('refuses self-enrolment where it is not allowed, and hides drafts', async () => {
    const owner = await buildUser(d.db, { roles: ['trainer'] });
    const learner = toSessionUser(await buildUser(d.db));
    const closed = await buildCourse(d.db, { ownerId: owner.id, selfEnrol: false });
    const draft = await buildCourse(d.db, { ownerId: owner.id, status: 'draft' });
    await assert.rejects(enrolments.selfEnrol(d.db, learner, closed.slug), Forbidden);
    await assert.rejects(enrolments.selfEnrol(d.db, learner, draft.slug), NotFound);
  });

  it('keeps the registration when a withdrawn learner is enrolled again', async () => {
    const owner = await buildUser(d.db, { roles: ['trainer'] });
    const coordinator = toSessionUser(await buildUser(d.db, { roles: ['coordinator'] }));
    const learner = await buildUser(d.db);
    const c = await buildCourse(d.db, { ownerId: owner.id });
    const one = await enrolments.enrolByEmail(d.db, coordinator, c.id, learner.email);
    assert.equal(one.created, true);
    const row = await d.db('enrolments').where({ course_id: c.id, user_id: learner.id }).first();
    await enrolments.withdraw(d.db, coordinator, c.id, row.id);
    assert.equal((await d.db('enrolments').where({ id: row.id }).first()).status, 'withdrawn');
    const back = await enrolments.enrolByEmail(d.db, coordinator, c.id, learner.email);
    assert.equal(back.created, true);
    const after = await d.db('enrolments').where({ id: row.id }).first();
    assert.equal(after.status, 'active');
    assert.equal(after.registration, row.registration);
  });

  it('enrols a whole group: members enrolled already and disabled accounts are skipped', async () => {
    const owner = await buildUser(d.db, { roles: ['trainer'] });
    const coordinator = toSessionUser(await buildUser(d.db, { roles: ['coordinator'] }));
    const c = await buildCourse(d.db, { ownerId: owner.id, selfEnrol: false });
    const group = await createGroup(d.db, coordinator, { name: 'Cohort X', description: '', kind: 'cohort' });
    const members = [await buildUser(d.db), await buildUser(d.db), await buildUser(d.db)];
    const disabled = await buildUser(d.db);
    await d.db('users').where({ id: disabled.id }).update({ status: 'disabled' });
    for (const m of [...members, disabled])
      await insertMember(d.db, { groupId: group.id, userId: m.id, addedBy: coordinator.id });
    await enrolLearners(d.db, c.id, [members[0]!.id], coordinator.id);

    const result = await enrolments.enrolGroup(d.db, coordinator, c.id, group.id);
    assert.deepEqual({ enrolled: result.enrolled, skipped: result.skipped }, { enrolled: 2, skipped: 1 });
    const rows = await d.db('enrolments').where({ course_id: c.id });
    assert.equal(rows.length, 3);
    assert.equal(new Set(rows.map((r: { registration: string }) => r.registration)).size, 3);
    const again = await enrolments.enrolGroup(d.db, coordinator, c.id, group.id);
    assert.deepEqual({ enrolled: again.enrolled, skipped: again.skipped }, { enrolled: 0, skipped: 3 });
  });

  it('lets only coordinators and admins enrol others', async () => {
    const owner = toSessionUser(await buildUser(d.db, { roles: ['trainer'] }));
    const learner = await buildUser(d.db);
    const c = await buildCourse(d.db, { ownerId: owner.id });
    await assert.rejects(enrolments.enrolByEmail(d.db, owner, c.id, learner.email), Forbidden);
  });

  it('tells which email is unknown', async () => {
    const coordinator = toSessionUser(await buildUser(d.db, { roles: ['coordinator'] }));
    const c = await buildCourse(d.db, { ownerId: coordinator.id });
    await assert.rejects(
      enrolments.enrolByEmail(d.db, coordinator, c.id, 'nobody-here@example.org'),
      (e: unknown) => e instanceof ValidationFailed && e.fields.email === 'courses:errors.unknownEmail',
    );
  });

  it('shows an enrolment to its learner and answers 404 to another learner', async () => {
    const owner = await buildUser(d.db, { roles: ['trainer'] });
    const learner = toSessionUser(await buildUser(d.db));
    const other = toSessionUser(await buildUser(d.db));
    const c = await buildCourse(d.db, { ownerId: owner.id });
    const { enrolment } = await enrolments.selfEnrol(d.db, learner, c.slug);
    const seen = await enrolments.enrolmentForViewer(d.db, learner, enrolment.id);
    assert.equal(seen.registration, enrolment.registration);
    await assert.rejects(enrolments.enrolmentForViewer(d.db, other, enrolment.id), NotFound);
    await assert.rejects(enrolments.enrolmentForViewer(d.db, other, 'not-a-uuid'), NotFound);
    const mine = await enrolments.myLearning(d.db, learner);
    assert.deepEqual(
      mine.map((e) => e.course_id),
      [c.id],
    );
  });
});
