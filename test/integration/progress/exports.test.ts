import assert from 'node:assert/strict';
import type { Database } from '../../../src/platform/db.js';
import { createI18n, type TFunction } from '../../../src/platform/i18n.js';
import { ensureProjectionHook } from '../../../src/modules/progress/index.js';
import { courseItems, statementsOfRegistration } from '../../../src/modules/progress/drill-down.repo.js';
import { courseExport, learnerExport, type ExportContext } from '../../../src/modules/progress/exports.js';
import { learnerList } from '../../../src/modules/progress/learner-list.repo.js';
import { LearnerListQuery, SORTS } from '../../../src/modules/progress/progress.schemas.js';
import { learnerEnrolment } from '../../../src/modules/progress/reports.repo.js';
import { attemptsOf, describe as describeStatement } from '../../../src/modules/progress/timeline.js';
import { createTestDatabase } from '../../helpers/db.js';
import { buildUser } from '../../factories.js';
import { enrol, send, trackedCourse, type Stmt } from './helpers.js';

// Exports read their rows in batches: with a batch of 3, every row must still come once, in the page's order.
const BATCH = 3;

/** Every batch an export yields, and their rows; it stops past 500 rows (an export that repeats rows could loop). */
async function read(rows: AsyncIterable<readonly object[]>) {
  const batches: Record<string, unknown>[][] = [];
  for await (const b of rows) {
    batches.push([...b] as Record<string, unknown>[]);
    if (batches.flat().length > 500) break;
  }
  return { batches: batches.length, rows: batches.flat() };
}

describe('report exports read in batches', function () {
  this.timeout(60_000);
  let database: Database;
  let t: TFunction;
  let x: ExportContext;
  let course: Awaited<ReturnType<typeof trackedCourse>>['course'];
  let activities: Awaited<ReturnType<typeof trackedCourse>>['activities'];
  let busy: { id: string; name: string; registration: string };

  before(async function () {
    this.timeout(120_000);
    database = await createTestDatabase();
    ensureProjectionHook();
    const { db } = database;
    t = (await createI18n()).getFixedT('en');
    x = { db, t, lang: 'en', batch: BATCH };
    const owner = await buildUser(db, { roles: ['trainer'] });
    ({ course, activities } = await trackedCourse(db, owner.id, 2));
    const [a1, a2] = activities as [(typeof activities)[0], (typeof activities)[0]];
    // 14 learners with ties on every sort: equal names (some differing in case), scores, times, days, none at all
    const names = ['Ana Lima', 'Ana Lima', 'ana lima', 'ANA LIMA', 'Ana Lima', 'Bruno', 'Chloé', 'Dara'];
    names.push('Emil', 'Fatou', 'Gus', 'Hana', 'Ines', 'Jon');
    for (const [i, name] of names.entries()) {
      const u = await buildUser(db, { name });
      const e = await enrol(db, course.id, u.id);
      const base = {
        registration: e.registration,
        userId: u.id,
        at: `2026-03-0${1 + (i % 3)}T10:00:00.000Z`,
      };
      if (i % 5 === 4) continue; // not started: no projection, empty sort values
      const list: Stmt[] = [{ ...base, verb: 'initialized', iri: a1.iri }];
      if (i % 2)
        list.push({
          ...base,
          verb: 'passed',
          iri: a1.iri,
          result: { score: { scaled: 0.5 + (i % 3) / 10 } },
        });
      if (i % 3) list.push({ ...base, verb: 'terminated', iri: a1.iri, result: { duration: `PT${i % 2}M` } });
      if (i % 4 === 1) list.push({ ...base, verb: 'completed', iri: a2.iri });
      await send(db, list);
    }
    // one learner with many statements: interleaved attempts at both modules, one left open throughout
    const u = await buildUser(db, { name: 'Busy Bee' });
    const e = await enrol(db, course.id, u.id);
    busy = { id: u.id, name: u.name, registration: e.registration };
    const at = (n: number) => new Date(Date.UTC(2026, 3, 1, 8, n)).toISOString();
    const base = { registration: e.registration, userId: u.id };
    await send(db, [{ ...base, verb: 'initialized', iri: a2.iri, at: at(0) }]);
    for (let k = 0; k < 6; k++) {
      // one request per attempt: statements of a request share their stored time, so (stored, seq) is tested too
      await send(db, [
        { ...base, verb: 'initialized', iri: a1.iri, at: at(10 * k + 1) },
        ...[1, 2, 3].map((q) => ({
          ...base,
          verb: 'answered',
          iri: `${a1.iri}/interactions/q${q}`,
          result: { response: `attempt ${k} answer ${q}`, success: q !== 2 },
          at: at(10 * k + 1 + q),
        })),
        {
          ...base,
          verb: k % 2 ? 'passed' : 'failed',
          iri: a1.iri,
          result: { score: { scaled: k / 10 } },
          at: at(10 * k + 6),
        },
        { ...base, verb: 'terminated', iri: a1.iri, result: { duration: `PT${k + 1}M` }, at: at(10 * k + 7) },
      ]);
    }
    await send(db, [{ ...base, verb: 'completed', iri: a2.iri, result: { duration: 'PT2M' }, at: at(99) }]);
    // stored times to the microsecond, as bulk-loaded statements have them (pairs still equal): each batch must
    // start exactly after the last statement of the one before
    await db.raw(
      `update statement_related set stored = stored + (seq / 2) * interval '1 microsecond' where kind = 6 and ident = ?`,
      [busy.registration],
    );
  });
  after(() => database.close());

  for (const sort of SORTS)
    for (const dir of ['asc', 'desc'] as const)
      it(`exports every learner once, in the page's order, sorted by ${sort} ${dir}`, async () => {
        const q = LearnerListQuery.parse({ sort, dir });
        const page = await learnerList(database.db, course.id, q, { sort, dir, limit: 1000, offset: 0 });
        assert.equal(page.total, 15);
        for (const batch of [1, BATCH]) {
          const table = courseExport({ ...x, batch }, course, 'learners', q, () =>
            Promise.reject(new Error('unused')),
          );
          const out = await read(table.rows);
          assert.equal(out.batches, 15 / batch);
          assert.deepEqual(
            out.rows.map((r) => `${String(r.name)} ${String(r.enrolment_id)}`),
            page.rows.map((r) => `${r.name} ${r.enrolment_id}`),
            `batch ${batch}`,
          );
          assert.equal(out.rows[0]!.status_label, t(`progress:status.${page.rows[0]!.status}`));
        }
      });

  it('exports the timeline newest first, as the page shows it, every statement once', async () => {
    const { db } = database;
    const found = await foundBusy();
    const titles = new Map((await courseItems(db, course.id)).map((i) => [i.iri, i.title]));
    const all = await statementsOfRegistration(db, busy.registration, { limit: 1000 });
    // the 38 sent, and the certificate's `earned` when a certificates module has hooked completions in this process
    assert.ok(all.length >= 38 && all.length <= 39, `${all.length} statements`);
    const out = await read(learnerExport(x, found, 'timeline').rows);
    assert.equal(out.batches, Math.ceil(all.length / BATCH));
    assert.deepEqual(
      out.rows.map((r) => r.text),
      all.map((s) => describeStatement(s.statement, t, 'en', titles).text),
    );
    assert.match(String(out.rows.at(-1)!.text), /started “Module 2”/); // the first statement, last
  });

  it('exports every attempt once, in the order they started, whatever the batch', async () => {
    const { db } = database;
    const found = await foundBusy();
    const oldestFirst = await statementsOfRegistration(db, busy.registration, {
      limit: 1000,
      oldestFirst: true,
    });
    const expected = attemptsOf(
      oldestFirst.map((s) => s.statement),
      await courseItems(db, course.id),
    );
    assert.equal(expected.length, 7); // 6 at module 1, the one at module 2 open from first to last
    for (const batch of [1, 2, BATCH, 1000]) {
      const out = await read(learnerExport({ ...x, batch }, found, 'attempts').rows);
      assert.deepEqual(
        out.rows.map(({ title, number, startedAt, lastAt, status, score, timeMs }) => ({
          title,
          number,
          startedAt,
          lastAt,
          status,
          score,
          timeMs,
        })),
        expected.map(({ title, number, startedAt, lastAt, status, score, timeMs }) => ({
          title,
          number,
          startedAt,
          lastAt,
          status,
          score,
          timeMs,
        })),
        `batch ${batch}`,
      );
    }
  });

  async function foundBusy() {
    const enrolment = (await learnerEnrolment(database.db, course.id, busy.id))!;
    return { course, learner: { name: busy.name }, enrolment } as unknown as Parameters<
      typeof learnerExport
    >[1];
  }
});
