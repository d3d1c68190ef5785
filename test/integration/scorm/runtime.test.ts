import assert from 'node:assert/strict';
import { importPackage } from '../../../src/modules/packages/index.js';
import { onStatementsStored } from '../../../src/modules/lrs/index.js';
import { handleRuntime, RuntimeRefused } from '../../../src/modules/scorm/runtime.service.js';
import type { RuntimeRequest } from '../../../src/modules/scorm/runtime.schemas.js';
import { enrolmentProgress, progressModule } from '../../../src/modules/progress/index.js';
import { startTestApp, type TestApp } from '../../helpers/http.js';
import { tempFile } from '../packages/helpers.js';
import {
  enrolledLearner,
  generatedCourse,
  generatedPackage,
  launchFor,
  sessionUser,
  statementsOf,
} from './helpers.js';
import { openActivity, previewPackage } from '../../../src/modules/scorm/launch.service.js';

type Obj = Record<string, unknown>;

describe('scorm: attempts, CMI data and statements (runtime service)', function () {
  this.timeout(30_000);
  let t: TestApp;

  before(async function () {
    this.timeout(180_000);
    t = await startTestApp();
    progressModule(t.ctx);
  });
  after(() => t?.close());

  /** A player session: its token and a request counter, as the player page keeps them. */
  async function session(
    course: { slug: string },
    activity: { id: string },
    learner: Parameters<typeof launchFor>[1],
  ) {
    const view = await launchFor(t.ctx, learner, course, activity);
    let q = 0;
    const send = (op: RuntimeRequest['op'], more: Partial<RuntimeRequest> = {}) =>
      handleRuntime(t.ctx, { t: view.launch.token, q: ++q, op, ...more });
    return { view, send, at: (n: number) => (q = n) };
  }

  const row = (attemptId: string, sco: string) =>
    t.ctx.db('scorm_sco_states').where({ attempt_id: attemptId, sco_id: sco }).first() as Promise<
      Obj & { cmi: Obj; completion: string; success: string; sco_attempt: number; held_tracking: Obj | null }
    >;

  it('records a SCORM 1.2 attempt: launch, initialize, answers, passed with score, suspend — all as profile statements', async () => {
    const { course, activity, pkg } = await generatedCourse(t.ctx, { version: '1.2', scos: 2 });
    const learner = await enrolledLearner(t.ctx.db, course.id);
    const s = await session(course, activity, learner);
    assert.equal(s.view.launch.version, '1.2');
    assert.deepEqual(s.view.launch.order, ['sco_1', 'sco_2']);

    const started = await s.send('deliver', { sco: 'sco_1' });
    const core = (started.cmi!.cmi as Obj).core as Obj;
    assert.equal(core.entry, 'ab-initio');
    assert.equal(core.student_id, learner.id);
    assert.equal(core.student_name, 'Lea Learner');
    await s.send('initialize', { sco: 'sco_1' });
    const cmi = {
      cmi: {
        core: {
          ...core,
          lesson_status: 'passed',
          lesson_location: '3',
          exit: 'suspend',
          session_time: '00:02:30.50',
          score: { raw: '85', min: '0', max: '100' },
        },
        suspend_data: 'x'.repeat(10_000),
        interactions: {
          '0': {
            id: 'q1',
            type: 'choice',
            student_response: 'a,c',
            result: 'correct',
            correct_responses: { '0': { pattern: 'a,c' } },
          },
          '1': { id: 'q2', type: 'true-false', student_response: 't', result: 'wrong' },
          '2': { id: 'q3', type: 'matching', student_response: '1.a,2.b', result: 'correct' },
        },
      },
    };
    await s.send('commit', { sco: 'sco_1', cmi: { full: cmi }, end: true });

    const stored = await row(s.view.attempt.id, 'sco_1');
    assert.equal(
      (stored.cmi.cmi as Obj).suspend_data,
      'x'.repeat(10_000),
      '1.2 suspend data beyond 4,096 characters is kept whole',
    );
    assert.equal(stored.completion, 'completed');
    assert.equal(stored.success, 'passed');

    const st = await statementsOf(t.ctx.db, learner.registration);
    assert.deepEqual(
      st.map((x) => x.verb),
      ['launched', 'initialized', 'answered', 'answered', 'answered', 'completed', 'passed', 'suspended'],
    );
    const scoIri = `${t.ctx.config.publicUrl}/xapi/activities/scorm/${pkg.id}/sco_1`;
    for (const x of st) {
      const ctx = x.statement.context as Obj;
      assert.equal(ctx.registration, learner.registration);
      assert.deepEqual(x.statement.actor, {
        objectType: 'Agent',
        account: { homePage: t.ctx.config.publicUrl, name: learner.id },
      });
      const ca = ctx.contextActivities as Record<string, Obj[]>;
      assert.equal(ca.category![0]!.id, 'https://w3id.org/xapi/scorm');
      assert.deepEqual(
        ca.grouping!.map((g) => (g.definition as Obj).type),
        ['http://adlnet.gov/expapi/activities/course', 'http://adlnet.gov/expapi/activities/attempt'],
      );
      assert.match(String(ca.grouping![1]!.id), new RegExp(`^${scoIri}\\?attemptId=${s.view.attempt.id}-1$`));
      assert.ok(x.statement.timestamp);
    }
    const answers = st.filter((x) => x.verb === 'answered');
    assert.deepEqual(
      answers.map((a) => [
        a.object.slice(scoIri.length),
        (a.statement.result as Obj).response,
        (a.statement.result as Obj).success,
      ]),
      [
        ['/interactions/q1', 'a[,]c', true],
        ['/interactions/q2', 'true', false],
        ['/interactions/q3', '1[.]a[,]2[.]b', true],
      ],
    );
    assert.deepEqual(((answers[0]!.statement.context as Obj).contextActivities as Obj).parent, [
      {
        objectType: 'Activity',
        id: scoIri,
        definition: { name: { und: 'Lesson 1' }, type: 'http://adlnet.gov/expapi/activities/lesson' },
      },
    ]);
    const passed = st.find((x) => x.verb === 'passed')!;
    assert.deepEqual((passed.statement.result as Obj).score, { scaled: 0.85, raw: 85, min: 0, max: 100 });
    const suspended = st.find((x) => x.verb === 'suspended')!;
    assert.equal((suspended.statement.result as Obj).duration, 'PT0H2M30.5S');
    assert.equal(suspended.object, scoIri);

    // the course progress is read from these statements
    const progress = (await t.ctx.db('progress_items').where({ iri: scoIri }).first()) as Obj;
    assert.equal(progress.completed, true);

    // resume: a new session starts the SCO where it stopped, with all its data
    const again = await session(course, activity, learner);
    assert.equal(again.view.attempt.id, s.view.attempt.id, 'the suspended attempt goes on');
    assert.equal(again.view.launch.resumeSco, 'sco_1');
    const resumed = await again.send('deliver', { sco: 'sco_1' });
    const rcmi = resumed.cmi!.cmi as Obj;
    assert.equal(resumed.entry, 'resume');
    assert.equal((rcmi.core as Obj).entry, 'resume');
    assert.equal((rcmi.core as Obj).lesson_location, '3');
    assert.equal((rcmi.core as Obj).exit, undefined);
    assert.equal(rcmi.suspend_data, 'x'.repeat(10_000));
    await again.send('initialize', { sco: 'sco_1' });
    assert.equal((await statementsOf(t.ctx.db, learner.registration)).at(-1)!.verb, 'resumed');
  });

  it('applies every commit once, in order: repeated, late and older-session commits change nothing; passed never goes back', async () => {
    const { course, activity } = await generatedCourse(t.ctx, { version: '2004' });
    const learner = await enrolledLearner(t.ctx.db, course.id);
    const s = await session(course, activity, learner);
    const attemptId = s.view.attempt.id;
    await s.send('deliver', { sco: 'sco_1' });
    await s.send('initialize', { sco: 'sco_1' });
    await s.send('commit', {
      sco: 'sco_1',
      cmi: { set: { '/cmi/location': 'p2', '/cmi/success_status': 'passed', '/cmi/score/scaled': '0.9' } },
    });
    const q = 3;
    // the same request again (a retry) and an older one arriving late: ignored
    await handleRuntime(t.ctx, {
      t: s.view.launch.token,
      q,
      op: 'commit',
      sco: 'sco_1',
      cmi: { set: { '/cmi/location': 'stale' } },
    });
    await handleRuntime(t.ctx, {
      t: s.view.launch.token,
      q: 2,
      op: 'commit',
      sco: 'sco_1',
      cmi: { set: { '/cmi/location': 'older' } },
    });
    let r = await row(attemptId, 'sco_1');
    assert.equal((r.cmi.cmi as Obj).location, 'p2');
    // failed after passed: the CMI keeps what the SCO wrote, the attempt stays passed and no `failed` is recorded
    s.at(3);
    await s.send('commit', {
      sco: 'sco_1',
      cmi: { set: { '/cmi/success_status': 'failed', '/cmi/completion_status': 'completed' } },
    });
    r = await row(attemptId, 'sco_1');
    assert.equal(r.success, 'passed');
    assert.equal(r.completion, 'completed');
    assert.equal((r.cmi.cmi as Obj).success_status, 'failed');
    await s.send('commit', { sco: 'sco_1', cmi: { set: { '/cmi/completion_status': 'incomplete' } } });
    assert.equal((await row(attemptId, 'sco_1')).completion, 'completed', 'completed never goes back');
    const verbs = (await statementsOf(t.ctx.db, learner.registration)).map((x) => x.verb);
    assert.deepEqual(verbs, ['launched', 'initialized', 'passed', 'completed']);

    // a second session: a late commit of the first one (e.g. its beacon) loses against the newer session
    const second = await session(course, activity, learner);
    await second.send('deliver', { sco: 'sco_1' });
    await second.send('commit', { sco: 'sco_1', cmi: { set: { '/cmi/location': 'second' } } });
    await handleRuntime(t.ctx, {
      t: s.view.launch.token,
      q: 99,
      op: 'commit',
      sco: 'sco_1',
      cmi: { set: { '/cmi/location': 'first-late' } },
    });
    assert.equal(((await row(attemptId, 'sco_1')).cmi.cmi as Obj).location, 'second');
  });

  it('keeps the last committed data of a SCO that never terminates, and starts a new SCO attempt after a normal exit', async () => {
    const { course, activity } = await generatedCourse(t.ctx, { version: '2004' });
    const learner = await enrolledLearner(t.ctx.db, course.id);
    const s = await session(course, activity, learner);
    await s.send('deliver', { sco: 'sco_1' });
    await s.send('initialize', { sco: 'sco_1' });
    await s.send('commit', {
      sco: 'sco_1',
      cmi: { set: { '/cmi/location': 'p7', '/cmi/suspend_data': 'state' } },
    });
    // no Terminate: the next session still finds the last commit (not suspended: a new SCO attempt begins)
    let r = await row(s.view.attempt.id, 'sco_1');
    assert.equal((r.cmi.cmi as Obj).location, 'p7');
    await s.send('commit', {
      sco: 'sco_1',
      cmi: { set: { '/cmi/exit': 'normal', '/cmi/completion_status': 'completed' } },
      end: true,
    });
    const next = await session(course, activity, learner);
    const started = await next.send('deliver', { sco: 'sco_1' });
    assert.equal(started.entry, 'ab-initio');
    assert.equal((started.cmi!.cmi as Obj).location, undefined);
    r = await row(s.view.attempt.id, 'sco_1');
    assert.equal(r.sco_attempt, 2);
    assert.equal(r.completion, 'completed', 'what the learner reached stays');
  });

  it('records the commit and its statements together: when the statements fail, nothing is kept', async () => {
    const { course, activity } = await generatedCourse(t.ctx, { version: '2004' });
    const learner = await enrolledLearner(t.ctx.db, course.id);
    const s = await session(course, activity, learner);
    await s.send('deliver', { sco: 'sco_1' });
    const off = onStatementsStored(() => Promise.reject(new Error('projection down')));
    try {
      await assert.rejects(
        s.send('commit', { sco: 'sco_1', cmi: { set: { '/cmi/completion_status': 'completed' } } }),
        /projection down/,
      );
    } finally {
      off();
    }
    const r = await row(s.view.attempt.id, 'sco_1');
    assert.equal((r.cmi.cmi as Obj).completion_status, undefined);
    assert.equal(r.completion, 'unknown');
    assert.ok(!(await statementsOf(t.ctx.db, learner.registration)).some((x) => x.verb === 'completed'));
  });

  it('maps every SCORM 2004 interaction type to `answered` with its response', async () => {
    const { course, activity, pkg } = await generatedCourse(t.ctx, { version: '2004' });
    const learner = await enrolledLearner(t.ctx.db, course.id);
    const s = await session(course, activity, learner);
    await s.send('deliver', { sco: 'sco_1' });
    const kinds: [string, string, string][] = [
      ['choice', 'a[,]b', 'correct'],
      ['true-false', 'true', 'incorrect'],
      ['fill-in', 'golf', 'correct'],
      ['long-fill-in', 'A long answer about golf.', 'neutral'],
      ['numeric', '72', 'correct'],
      ['matching', '1[.]a[,]2[.]b', 'correct'],
      ['sequencing', 'c[,]a[,]b', 'incorrect'],
      ['likert', 'agree', 'neutral'],
      ['performance', 'step1[.]hit[,]step2[.]putt', 'correct'],
      ['other', 'something', 'unanticipated'],
    ];
    const interactions: Obj = {};
    kinds.forEach(([type, response, result], i) => {
      interactions[String(i)] = {
        id: `i_${type}`,
        type,
        learner_response: response,
        result,
        latency: 'PT5S',
        description: `Question ${type}`,
      };
    });
    await s.send('commit', { sco: 'sco_1', cmi: { set: { '/cmi/interactions': interactions as never } } });
    const answered = (await statementsOf(t.ctx.db, learner.registration)).filter(
      (x) => x.verb === 'answered',
    );
    assert.equal(answered.length, kinds.length);
    answered.forEach((a, i) => {
      const [type, response, result] = kinds[i]!;
      const def = (a.statement.object as Obj).definition as Obj;
      assert.equal(
        a.object,
        `${t.ctx.config.publicUrl}/xapi/activities/scorm/${pkg.id}/sco_1/interactions/i_${type}`,
      );
      assert.equal(def.interactionType, type);
      assert.equal(def.type, 'http://adlnet.gov/expapi/activities/cmi.interaction');
      const res = a.statement.result as Obj;
      assert.equal(res.response, response);
      assert.equal(res.duration, 'PT5S');
      assert.equal(res.success, result === 'correct' ? true : result === 'incorrect' ? false : undefined);
    });
  });

  it('keeps the sequencing state of the attempt, records what the sequencer completes, and how the session ended', async () => {
    const { course, activity } = await generatedCourse(t.ctx, { version: '2004', scos: 2 });
    const learner = await enrolledLearner(t.ctx.db, course.id);
    const s = await session(course, activity, learner);
    await s.send('deliver', {
      sco: 'sco_1',
      seq: { full: { sequencing: { currentActivity: 'sco_1' }, sharedData: {} } },
    });
    await s.send('state', {
      seq: { set: { '/sequencing/currentActivity': 'sco_2', '/sharedData/notes': 'kept' } },
      tracking: { sco_1: { completion: 'completed', success: 'passed' } },
    });
    await s.send('end', { reason: 'suspend_all' });
    const attempt = (await t.ctx.db('scorm_attempts').where({ id: s.view.attempt.id }).first()) as Obj;
    assert.deepEqual(attempt.sequencing, {
      sequencing: { currentActivity: 'sco_2' },
      sharedData: { notes: 'kept' },
    });
    assert.equal(attempt.status, 'suspended');
    assert.deepEqual(
      (await statementsOf(t.ctx.db, learner.registration)).map((x) => x.verb),
      ['launched', 'completed', 'passed'],
    );
    // the next launch hands the state back; an exitAll ends the attempt and the next launch starts a new one
    const again = await session(course, activity, learner);
    assert.deepEqual(again.view.launch.sequencing, attempt.sequencing);
    await again.send('end', { reason: 'exit_all' });
    const third = await session(course, activity, learner);
    assert.equal(third.view.attempt.number, 2);
    assert.equal(third.view.launch.sequencing, null);
  });

  it('states each status once when the sequencer tracking arrives before the final commit that caused it', async () => {
    const { course, activity } = await generatedCourse(t.ctx, { version: '2004', scos: 2 });
    const learner = await enrolledLearner(t.ctx.db, course.id);
    const s = await session(course, activity, learner);
    await s.send('deliver', { sco: 'sco_1' });
    await s.send('initialize', { sco: 'sco_1' });
    // the final commit (a beacon, q 3) is overtaken by the state request that follows it (q 4)
    s.at(3);
    await s.send('state', { tracking: { sco_1: { completion: 'completed', success: 'passed' } } });
    s.at(2);
    await s.send('commit', {
      sco: 'sco_1',
      cmi: { set: { '/cmi/completion_status': 'completed', '/cmi/success_status': 'passed' } },
      end: true,
    });
    assert.deepEqual(
      (await statementsOf(t.ctx.db, learner.registration)).map((x) => x.verb),
      ['launched', 'initialized', 'completed', 'passed', 'terminated'],
    );
    // a new attempt of the SCO states its own result again
    s.at(4);
    await s.send('deliver', { sco: 'sco_1' });
    await s.send('initialize', { sco: 'sco_1' });
    await s.send('commit', { sco: 'sco_1', cmi: { set: { '/cmi/success_status': 'failed' } }, end: true });
    assert.deepEqual(
      (await statementsOf(t.ctx.db, learner.registration)).map((x) => x.verb).slice(5),
      ['launched', 'initialized', 'terminated'],
      'failed after passed is not stated: a status never goes back',
    );
  });

  it("takes the sequencer's tracking only for what the SCO does not report itself", async () => {
    const { course, activity } = await generatedCourse(t.ctx, { version: '2004', scos: 2 });
    const learner = await enrolledLearner(t.ctx.db, course.id);
    const s = await session(course, activity, learner);
    await s.send('deliver', { sco: 'sco_1' });
    await s.send('initialize', { sco: 'sco_1' });
    await s.send('commit', { sco: 'sco_1', cmi: { set: { '/cmi/completion_status': 'incomplete' } } });
    await s.send('state', { tracking: { sco_1: { completion: 'completed', success: 'passed' } } });
    const r = await row(s.view.attempt.id, 'sco_1');
    assert.deepEqual([r.completion, r.success], ['incomplete', 'passed'], "completion is the SCO's own");
    assert.deepEqual(
      (await statementsOf(t.ctx.db, learner.registration)).map((x) => x.verb),
      ['launched', 'initialized', 'passed'],
    );
  });

  it("holds the sequencer's tracking that overtakes the SCO's last commit until that commit is stored", async () => {
    const { course, activity } = await generatedCourse(t.ctx, { version: '2004', scos: 2 });
    const learner = await enrolledLearner(t.ctx.db, course.id);
    const s = await session(course, activity, learner);
    await s.send('deliver', { sco: 'sco_1' });
    await s.send('initialize', { sco: 'sco_1' });
    // a closing page: the terminating commit (q 3) and the end of the session (q 4) go by beacon, and the
    // end arrives first, carrying the sequencer's view of the SCO read after commit 3
    s.at(3);
    await s.send('end', {
      reason: 'suspend_all',
      tracking: { sco_1: { completion: 'incomplete', success: 'unknown', after: 3 } },
    });
    let r = await row(s.view.attempt.id, 'sco_1');
    assert.deepEqual([r.completion, r.success], ['unknown', 'unknown'], 'nothing decided before commit 3');
    assert.ok(r.held_tracking, 'the tracking is held');
    s.at(2);
    await s.send('commit', {
      sco: 'sco_1',
      end: true,
      cmi: { set: { '/cmi/completion_status': 'incomplete', '/cmi/exit': 'suspend' } },
    });
    r = await row(s.view.attempt.id, 'sco_1');
    assert.deepEqual([r.completion, r.success, r.held_tracking], ['incomplete', 'unknown', null]);
    assert.deepEqual(
      (await statementsOf(t.ctx.db, learner.registration)).map((x) => x.verb),
      ['launched', 'initialized', 'suspended'],
      'an incomplete SCO is never stated completed',
    );
  });

  it('applies held tracking for what the SCO leaves unreported once the commit it follows arrives', async () => {
    const { course, activity } = await generatedCourse(t.ctx, { version: '2004', scos: 2 });
    const learner = await enrolledLearner(t.ctx.db, course.id);
    const s = await session(course, activity, learner);
    await s.send('deliver', { sco: 'sco_1' });
    await s.send('initialize', { sco: 'sco_1' });
    s.at(3);
    await s.send('state', {
      tracking: { sco_1: { completion: 'completed', success: 'passed', after: 3 } },
    });
    s.at(2);
    await s.send('commit', { sco: 'sco_1', cmi: { set: { '/cmi/success_status': 'failed' } } });
    const r = await row(s.view.attempt.id, 'sco_1');
    assert.deepEqual(
      [r.completion, r.success],
      ['completed', 'failed'],
      "the sequencer's completion, the SCO's own success",
    );
    assert.deepEqual(
      (await statementsOf(t.ctx.db, learner.registration)).map((x) => x.verb),
      ['launched', 'initialized', 'failed', 'completed'],
    );
  });

  it('keeps each attempt on the package version it started on', async () => {
    const { course, activity, pkg, trainer } = await generatedCourse(t.ctx, { version: '1.2' });
    const learner = await enrolledLearner(t.ctx.db, course.id);
    const s = await session(course, activity, learner);
    assert.equal(s.view.attempt.package_version, 1);
    await importPackage(
      { db: t.ctx.db, config: t.ctx.config },
      {
        zipPath: tempFile(
          await generatedPackage({ version: '1.2', scos: 3, title: 'Second version' }),
          'v2.zip',
        ),
        fileName: 'v2.zip',
        actor: { id: trainer.id, roles: trainer.roles },
        packageId: pkg.id,
      },
    );
    const resumed = await session(course, activity, learner);
    assert.equal(resumed.view.attempt.package_version, 1);
    assert.deepEqual(resumed.view.launch.order, ['sco_1']);
    await resumed.send('end', { reason: 'exit' });
    const fresh = await session(course, activity, learner);
    assert.equal(fresh.view.attempt.package_version, 2);
    assert.deepEqual(fresh.view.launch.order, ['sco_1', 'sco_2', 'sco_3']);
  });

  it('completes the course activity for a learner who finished every SCO of their version, whatever other versions had', async () => {
    const { course, activity, pkg, trainer } = await generatedCourse(t.ctx, { version: '1.2', scos: 2 });
    const early = await enrolledLearner(t.ctx.db, course.id, 'Early Learner');
    await (await session(course, activity, early)).send('deliver', { sco: 'sco_1' });
    // version 2 drops sco_2; the early learner's attempt stays on version 1, with both SCOs
    await importPackage(
      { db: t.ctx.db, config: t.ctx.config },
      {
        zipPath: tempFile(await generatedPackage({ version: '1.2', scos: 1, title: 'Shorter' }), 'v2.zip'),
        fileName: 'v2.zip',
        actor: { id: trainer.id, roles: trainer.roles },
        packageId: pkg.id,
      },
    );
    const late = await enrolledLearner(t.ctx.db, course.id, 'Late Learner');
    const s = await session(course, activity, late);
    assert.deepEqual(s.view.launch.order, ['sco_1']);
    await s.send('deliver', { sco: 'sco_1' });
    await s.send('initialize', { sco: 'sco_1' });
    await s.send('commit', {
      sco: 'sco_1',
      end: true,
      cmi: { set: { '/cmi/core/lesson_status': 'completed' } },
    });
    const progress = await enrolmentProgress(t.ctx.db, late.enrolmentId);
    assert.equal(progress?.progress_pct, 100, 'sco_2 of version 1 does not hold back a learner on version 2');
    assert.deepEqual(
      (await statementsOf(t.ctx.db, late.registration)).map((x) => `${x.verb} ${x.object.split('/').pop()}`),
      ['launched sco_1', 'initialized sco_1', 'completed sco_1', 'terminated sco_1', `completed ${pkg.id}`],
    );
    assert.equal((await enrolmentProgress(t.ctx.db, early.enrolmentId))?.progress_pct, 0);
  });

  it("tracks previews with a registration of their own that is no enrolment's", async () => {
    const { course, activity, trainer, pkg } = await generatedCourse(t.ctx, { version: '2004' });
    const view = await openActivity(t.ctx.db, t.ctx.config, sessionUser(trainer), course.slug, activity.id);
    assert.equal(view.attempt.preview, true);
    assert.equal(view.mayStartNew, false);
    await handleRuntime(t.ctx, { t: view.launch.token, q: 1, op: 'deliver', sco: 'sco_1' });
    const enrolments = await t.ctx.db('enrolments').where({ registration: view.attempt.registration });
    assert.equal(enrolments.length, 0);
    assert.equal((await statementsOf(t.ctx.db, view.attempt.registration)).length, 1);
    const packagePreview = await previewPackage(t.ctx.db, t.ctx.config, sessionUser(trainer), pkg.id);
    assert.notEqual(packagePreview.attempt.registration, view.attempt.registration);
  });

  it('refuses unknown tokens and SCOs the package does not have', async () => {
    await assert.rejects(
      handleRuntime(t.ctx, { t: 'x'.repeat(43), q: 1, op: 'commit', sco: 'sco_1' }),
      (e: unknown) => e instanceof RuntimeRefused && e.status === 401,
    );
    const { course, activity } = await generatedCourse(t.ctx, { version: '2004' });
    const learner = await enrolledLearner(t.ctx.db, course.id);
    const s = await session(course, activity, learner);
    await assert.rejects(
      s.send('deliver', { sco: 'nope' }),
      (e: unknown) => e instanceof RuntimeRefused && e.status === 400,
    );
    await s.send('deliver', { sco: 'sco_1' });
    await assert.rejects(
      s.send('commit', { sco: 'sco_1', cmi: { set: { '/__proto__/x': 1 } } }),
      (e: unknown) => e instanceof RuntimeRefused && e.errorCode === 351,
    );
  });
});
