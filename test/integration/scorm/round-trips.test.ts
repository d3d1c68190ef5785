import assert from 'node:assert/strict';
import { progressModule } from '../../../src/modules/progress/index.js';
import type { RuntimeRequest } from '../../../src/modules/scorm/runtime.schemas.js';
import { handleRuntime } from '../../../src/modules/scorm/runtime.service.js';
import { startTestApp, type TestApp } from '../../helpers/http.js';
import { enrolledLearner, generatedCourse, launchFor, statementsOf } from './helpers.js';

type Obj = Record<string, unknown>;

// Each SQL statement of a runtime request is a round trip to the database: a commit is the player's most frequent
// request, so the number it takes is pinned here (see bench:scorm for what it costs).

describe('scorm: database round trips of a runtime request', function () {
  this.timeout(30_000);
  let t: TestApp;

  before(async function () {
    this.timeout(180_000);
    t = await startTestApp();
    progressModule(t.ctx);
  });
  after(() => t?.close());

  async function session(version: '1.2' | '2004', scos: number) {
    const { course, activity } = await generatedCourse(t.ctx, { version, scos });
    const learner = await enrolledLearner(t.ctx.db, course.id);
    const view = await launchFor(t.ctx, learner, course, activity);
    let q = 0;
    const send = (op: RuntimeRequest['op'], more: Partial<RuntimeRequest> = {}) =>
      handleRuntime(t.ctx, { t: view.launch.token, q: ++q, op, ...more });
    /** The SQL the request sends, one entry per round trip (BEGIN and COMMIT included). */
    const sqlOf = async (op: RuntimeRequest['op'], more: Partial<RuntimeRequest> = {}) => {
      const sent: string[] = [];
      const listen = (d: { sql: string }) => sent.push(d.sql);
      t.ctx.db.on('query', listen);
      try {
        await send(op, more);
      } finally {
        t.ctx.db.off('query', listen);
      }
      // the package model is kept per process for a minute: its read is not the request's own
      return sent.filter((sql) => !/"package_versions"/.test(sql));
    };
    return { view, learner, send, sqlOf, next: () => q + 1 };
  }

  /** What each round trip did: its verb and the table it reads or writes first. */
  const shape = (sql: string[]) =>
    sql.map((x) => {
      const verb = /^\s*(\w+)/.exec(x)![1]!.toLowerCase();
      const table = /(?:from|update|into) "(\w+)"/.exec(x)?.[1];
      return table ? `${verb} ${table}` : x.trim().replace(/;$/, '');
    });

  const stateOf = (attemptId: string, sco: string) =>
    t.ctx.db('scorm_sco_states').where({ attempt_id: attemptId, sco_id: sco }).first() as Promise<Obj>;

  it('takes 6 round trips for a SCORM 2004 commit with CMI data, sequencing state and tracking of every SCO', async () => {
    const s = await session('2004', 3);
    const all = (sco1: 'completed' | 'unknown', sco2: 'incomplete' | 'unknown', after?: number) => ({
      sco_1: { completion: sco1, success: 'unknown' as const },
      sco_2: { completion: sco2, success: 'unknown' as const, after },
      sco_3: { completion: 'unknown' as const, success: 'unknown' as const },
    });
    await s.send('deliver', { sco: 'sco_1', seq: { full: { current: 'sco_1' } } });
    await s.send('initialize', { sco: 'sco_1' });
    await s.send('commit', {
      sco: 'sco_1',
      cmi: { set: { '/cmi/completion_status': 'completed' } },
      end: true,
    });
    await s.send('deliver', {
      sco: 'sco_2',
      seq: { set: { '/current': 'sco_2' } },
      tracking: all('completed', 'unknown'),
    });
    await s.send('initialize', { sco: 'sco_2' });

    // as the player sends it: what changed, the sequencer's tracking of every SCO (sco_1 as stored, sco_3 never
    // launched) and of the root
    const sql = await s.sqlOf('commit', {
      sco: 'sco_2',
      cmi: { set: { '/cmi/location': 'page 2', '/cmi/completion_status': 'incomplete' } },
      seq: { set: { '/page': 2 } },
      tracking: all('completed', 'incomplete', s.next()),
      root: { completion: 'incomplete', success: 'unknown' },
    });
    assert.deepEqual(shape(sql), [
      'BEGIN',
      'select scorm_sessions', // the session, its attempt locked, and the learner's name
      'select scorm_sco_states', // every SCO state of the attempt, once
      'update scorm_sco_states', // the committed SCO's; the tracking of sco_1 is what is stored: no write
      'update scorm_attempts', // the sequencing state
      'COMMIT',
    ]);
    const stored = await stateOf(s.view.attempt.id, 'sco_2');
    assert.equal(((stored.cmi as Obj).cmi as Obj).location, 'page 2');
    assert.equal(stored.completion, 'incomplete');
    const attempt = (await t.ctx.db('scorm_attempts').where({ id: s.view.attempt.id }).first()) as Obj;
    assert.deepEqual(attempt.sequencing, { current: 'sco_2', page: 2 });
  });

  it('takes 5 round trips for a SCORM 1.2 commit, and writes nothing for a request that changes nothing', async () => {
    const s = await session('1.2', 2);
    await s.send('deliver', { sco: 'sco_1' });
    await s.send('initialize', { sco: 'sco_1' });
    const sql = await s.sqlOf('commit', {
      sco: 'sco_1',
      cmi: { set: { '/cmi/core/lesson_location': '2', '/cmi/core/lesson_status': 'incomplete' } },
    });
    assert.deepEqual(shape(sql), [
      'BEGIN',
      'select scorm_sessions',
      'select scorm_sco_states',
      'update scorm_sco_states',
      'COMMIT',
    ]);
    const stored = await stateOf(s.view.attempt.id, 'sco_1');
    assert.equal((((stored.cmi as Obj).cmi as Obj).core as Obj).lesson_location, '2');
    // an `end` of a session that leaves the attempt active, as it is: read, nothing written
    assert.deepEqual(shape(await s.sqlOf('end', { reason: '' })), [
      'BEGIN',
      'select scorm_sessions',
      'select scorm_sco_states',
      'COMMIT',
    ]);
  });

  it('completes a SCORM 1.2 course once from the states read in the request, and reads only what it needs after', async () => {
    const s = await session('1.2', 2);
    const finish = async (sco: string) => {
      await s.send('deliver', { sco });
      await s.send('initialize', { sco });
      await s.send('commit', { sco, cmi: { set: { '/cmi/core/lesson_status': 'completed' } }, end: true });
    };
    await finish('sco_1');
    await finish('sco_2');
    const course = (await statementsOf(t.ctx.db, s.learner.registration)).filter(
      (x) => x.verb === 'completed' && !/\/sco_\d$/.test(x.object),
    );
    assert.equal(course.length, 1, 'the course activity is completed once, with the last SCO');
    // the attempt is completed: a later request reads its own SCO's state only, and states no course completion
    await s.send('deliver', { sco: 'sco_1' });
    const sql = await s.sqlOf('commit', { sco: 'sco_1', cmi: { set: { '/cmi/core/lesson_location': '9' } } });
    const read = sql.find((x) => /from "scorm_sco_states"/.test(x))!;
    assert.match(read, /"sco_id" in \(\$2\)/);
    assert.equal(
      (await statementsOf(t.ctx.db, s.learner.registration)).filter((x) => x.verb === 'completed').length,
      3,
    );
    const stored = await stateOf(s.view.attempt.id, 'sco_1');
    assert.equal((((stored.cmi as Obj).cmi as Obj).core as Obj).lesson_location, '9');
  });
});
