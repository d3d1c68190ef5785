import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Database } from '../../../src/platform/db.js';
import { storeStatements } from '../../../src/modules/lrs/index.js';
import { ensureProjectionHook, rebuildProgress } from '../../../src/modules/progress/index.js';
import { activityByDay } from '../../../src/modules/progress/course-report.repo.js';
import { createTestDatabase } from '../../helpers/db.js';
import { buildUser } from '../../factories.js';
import { AUTH, enrol, send, snapshot, trackedCourse } from './helpers.js';

describe('progress projections', () => {
  let database: Database;
  before(async function () {
    this.timeout(120_000);
    database = await createTestDatabase();
    // The same hook the app registers: once per process, so tests that built an app earlier do not double it.
    ensureProjectionHook();
  });
  after(async () => {
    await database.close();
  });

  it('folds statements into item, activity and enrolment status, score, time and attempts', async () => {
    const { db } = database;
    const owner = await buildUser(db, { roles: ['trainer'] });
    const learner = await buildUser(db);
    const { course, activities } = await trackedCourse(db, owner.id, 2);
    const e = await enrol(db, course.id, learner.id);
    const [a1, a2] = activities as [(typeof activities)[0], (typeof activities)[0]];
    const base = { registration: e.registration, userId: learner.id };
    await send(db, [
      { ...base, verb: 'initialized', iri: a1.iri },
      { ...base, verb: 'answered', iri: `${a1.iri}/interactions/q1`, result: { success: true } },
      { ...base, verb: 'failed', iri: a1.iri, result: { score: { scaled: 0.4 }, success: false } },
      { ...base, verb: 'terminated', iri: a1.iri, result: { duration: 'PT10M' } },
    ]);
    let pe = await db('progress_enrolments').where({ enrolment_id: e.id }).first();
    assert.equal(pe.status, 'failed');
    assert.equal(pe.progress_pct, 0);
    await send(db, [
      { ...base, verb: 'initialized', iri: a1.iri },
      {
        ...base,
        verb: 'passed',
        iri: a1.iri,
        result: { score: { scaled: 0.9 }, success: true, completion: true },
      },
      { ...base, verb: 'terminated', iri: a1.iri, result: { duration: 'PT5M' } },
    ]);
    const pa = await db('progress_activities').where({ enrolment_id: e.id, activity_id: a1.id }).first();
    assert.equal(pa.status, 'passed');
    assert.equal(pa.attempts, 2);
    assert.equal(Number(pa.time_ms), 15 * 60_000);
    assert.equal(Number(pa.score), 0.9);
    assert.equal(Number(pa.last_score), 0.9);
    pe = await db('progress_enrolments').where({ enrolment_id: e.id }).first();
    assert.equal(pe.progress_pct, 50);
    assert.equal(pe.completed, false);
    await send(db, [{ ...base, verb: 'completed', iri: a2.iri, result: { duration: 'PT2M' } }]);
    pe = await db('progress_enrolments').where({ enrolment_id: e.id }).first();
    assert.equal(pe.completed, true);
    assert.equal(pe.progress_pct, 100);
    assert.equal(pe.status, 'passed');
    assert.equal(Number(pe.time_ms), 17 * 60_000);
    const enrolment = await db('enrolments').where({ id: e.id }).first();
    assert.equal(enrolment.status, 'completed');
    assert.equal((await db('progress_completions').where({ enrolment_id: e.id })).length, 1);
  });

  it('ignores statements whose registration is no enrolment (previews)', async () => {
    const { db } = database;
    const owner = await buildUser(db, { roles: ['trainer'] });
    const { activities } = await trackedCourse(db, owner.id, 1);
    const before = await db('progress_items').count({ n: '*' });
    await send(db, [
      { verb: 'completed', iri: activities[0]!.iri, registration: randomUUID(), userId: owner.id },
    ]);
    assert.deepEqual(await db('progress_items').count({ n: '*' }), before);
  });

  it('rolls child quiz scores up into an item and a rebuild equals the incremental projection', async () => {
    const { db } = database;
    const owner = await buildUser(db, { roles: ['trainer'] });
    const learner = await buildUser(db);
    const { course, activities } = await trackedCourse(db, owner.id, 2);
    const e = await enrol(db, course.id, learner.id);
    const base = { registration: e.registration, userId: learner.id };
    const [a1, a2] = activities as [(typeof activities)[0], (typeof activities)[0]];
    const day = (d: number) => new Date(Date.UTC(2026, 0, d, 10)).toISOString();
    const batches = [
      [{ ...base, verb: 'initialized', iri: a1.iri, at: day(1) }],
      [
        {
          ...base,
          verb: 'failed',
          iri: `${a1.iri}/quizzes/1`,
          result: { score: { raw: 1, max: 4 } },
          at: day(1),
        },
      ],
      [
        {
          ...base,
          verb: 'passed',
          iri: `${a1.iri}/quizzes/1`,
          result: { score: { scaled: 0.8 } },
          at: day(2),
        },
      ],
      [
        {
          ...base,
          verb: 'passed',
          iri: `${a1.iri}/quizzes/2`,
          result: { score: { scaled: 0.6 } },
          at: day(2),
        },
      ],
      [{ ...base, verb: 'completed', iri: a1.iri, result: { completion: true }, at: day(3) }],
      [
        { ...base, verb: 'attempted', iri: a2.iri, at: day(3) },
        {
          ...base,
          verb: 'answered',
          iri: a2.iri,
          result: { score: { scaled: 0.5 }, success: false, completion: true, duration: 'PT1M30S' },
          at: day(4),
        },
      ],
    ];
    for (const b of batches) await send(db, b);
    const pa1 = await db('progress_activities').where({ enrolment_id: e.id, activity_id: a1.id }).first();
    assert.equal(pa1.status, 'passed');
    assert.equal(Number(pa1.score).toFixed(2), '0.70');
    const pa2 = await db('progress_activities').where({ enrolment_id: e.id, activity_id: a2.id }).first();
    assert.equal(pa2.status, 'failed');
    assert.equal(Number(pa2.time_ms), 90_000);
    // Only the days of these statements: a certificate issued on completion adds its `earned` statement today.
    const days = await db('progress_days')
      .where({ enrolment_id: e.id })
      .where('day', '<=', '2026-01-31')
      .orderBy('day');
    assert.equal(days.length, 4);
    assert.ok(days.every((d: { course_id: string }) => d.course_id === course.id));
    // the course's activity chart reads these days through the course index and agrees with the statements
    const chart = await activityByDay(db, course.id, {}, { from: '2026-01-01', to: '2026-01-05' });
    assert.deepEqual(
      chart.map((d) => [d.day, d.statements, d.learners]),
      [
        ['2026-01-01', 2, 1],
        ['2026-01-02', 2, 1],
        ['2026-01-03', 2, 1],
        ['2026-01-04', 1, 1],
        ['2026-01-05', 0, 0],
      ],
    );

    const incremental = await snapshot(db, e.id);
    await rebuildProgress(db, { registration: e.registration });
    assert.deepEqual(await snapshot(db, e.id), incremental);
    await rebuildProgress(db);
    assert.deepEqual(await snapshot(db, e.id), incremental);
  });

  it('recomputes a registration when one of its statements is voided', async () => {
    const { db } = database;
    const owner = await buildUser(db, { roles: ['trainer'] });
    const learner = await buildUser(db);
    const { course, activities } = await trackedCourse(db, owner.id, 2);
    const e = await enrol(db, course.id, learner.id);
    const base = { registration: e.registration, userId: learner.id };
    const [id] = await send(db, [
      { ...base, verb: 'passed', iri: activities[0]!.iri, result: { score: { scaled: 1 } } },
    ]);
    assert.equal((await db('progress_activities').where({ enrolment_id: e.id }).first()).status, 'passed');
    await storeStatements(
      db,
      [
        {
          actor: { objectType: 'Agent', account: { homePage: 'http://localhost:3000', name: 'admin' } },
          verb: { id: 'http://adlnet.gov/expapi/verbs/voided', display: { en: 'voided' } },
          object: { objectType: 'StatementRef', id: id! },
        },
      ],
      AUTH,
    );
    assert.equal(await db('progress_activities').where({ enrolment_id: e.id }).first(), undefined);
  });
});
