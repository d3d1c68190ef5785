import assert from 'node:assert/strict';
import path from 'node:path';
import { addToCourse, importPackage } from '../../../src/modules/packages/index.js';

import { publishCourse } from '../../../src/modules/courses/index.js';
import { enrolmentProgress, progressModule } from '../../../src/modules/progress/index.js';
import { handleRuntime } from '../../../src/modules/scorm/runtime.service.js';
import { startTestApp, type TestApp } from '../../helpers/http.js';
import { buildUser } from '../../factories.js';
import { tempFile } from '../packages/helpers.js';
import { enrolledLearner, generatedPackage, launchFor, sessionUser } from './helpers.js';

type Obj = Record<string, unknown>;

// A package added to a course registers its SCOs with progress at once, so that a course counts SCOs
// nobody has launched yet: finishing one package of a course with two is half of it, not all of it.

describe('scorm: SCOs are tracked items of a course from the moment the package is added', function () {
  this.timeout(60_000);
  let t: TestApp;

  before(async function () {
    this.timeout(180_000);
    t = await startTestApp();
    progressModule(t.ctx);
  });
  after(() => t?.close());

  async function imported(trainer: Awaited<ReturnType<typeof buildUser>>, title: string, scos: number) {
    const zip = tempFile(await generatedPackage({ version: '2004', scos, title }), `${title}.zip`);
    return (
      await importPackage(t.ctx, {
        zipPath: zip,
        fileName: path.basename(zip),
        actor: { id: trainer.id, roles: trainer.roles },
      })
    ).package;
  }

  it('registers every SCO of the package when it is added to a new or an existing course', async () => {
    const trainer = await buildUser(t.ctx.db, { roles: ['trainer'] });
    const actor = sessionUser(trainer);
    const first = await imported(trainer, 'Module one', 1);
    const second = await imported(trainer, 'Module two', 2);
    const a = await addToCourse(t.ctx, actor, first.id, { target: 'new' }, 'en');
    const b = await addToCourse(
      t.ctx,
      actor,
      second.id,
      { target: 'existing', course_id: a.course.id },
      'en',
    );

    const iris = (activityId: string) =>
      t.ctx
        .db('course_activity_iris')
        .where({ activity_id: activityId })
        .orderBy('iri')
        .select('iri', 'title', 'decides');
    const root = (packageId: string) => `${t.ctx.config.publicUrl}/xapi/activities/scorm/${packageId}`;
    const sco = (packageId: string, id: string) => `${root(packageId)}/${id}`;
    // SCORM 2004: the package's root, rolled up by its own sequencing rules, decides the activity too
    assert.deepEqual(await iris(a.activity.id), [
      { iri: root(first.id), title: 'Module one', decides: true },
      { iri: sco(first.id, 'sco_1'), title: 'Lesson 1', decides: false },
    ]);
    assert.deepEqual(await iris(b.activity.id), [
      { iri: root(second.id), title: 'Module two', decides: true },
      { iri: sco(second.id, 'sco_1'), title: 'Lesson 1', decides: false },
      { iri: sco(second.id, 'sco_2'), title: 'Lesson 2', decides: false },
    ]);

    // the learner finishes the first package and never opens the second: the course is a third done
    await publishCourse(t.ctx.db, a.course.id);
    const learner = await enrolledLearner(t.ctx.db, a.course.id);
    const view = await launchFor(t.ctx, learner, a.course, a.activity);
    let q = 0;
    const send = (op: 'deliver' | 'initialize' | 'commit', more = {}) =>
      handleRuntime(t.ctx, { t: view.launch.token, q: ++q, op, sco: 'sco_1', ...more });
    await send('deliver');
    await send('initialize');
    await send('commit', {
      end: true,
      cmi: { set: { '/cmi/completion_status': 'completed', '/cmi/success_status': 'passed' } },
    });
    const progress = await enrolmentProgress(t.ctx.db, learner.enrolmentId);
    assert.equal(progress?.progress_pct, 50, 'one of the two SCORM activities is completed');
    assert.notEqual(progress?.status, 'completed');
    const enrolment = (await t.ctx.db('enrolments').where({ id: learner.enrolmentId }).first('status')) as {
      status: string;
    };
    assert.equal(enrolment.status, 'active', 'the course is not completed while a package was never opened');
  });

  it("completes a SCORM 2004 activity when the package's rollup says so, with its verdict and score", async () => {
    const trainer = await buildUser(t.ctx.db, { roles: ['trainer'] });
    const pkg = await imported(trainer, 'Post-test decides', 3);
    const { course, activity } = await addToCourse(
      t.ctx,
      sessionUser(trainer),
      pkg.id,
      { target: 'new' },
      'en',
    );
    await publishCourse(t.ctx.db, course.id);
    const learner = await enrolledLearner(t.ctx.db, course.id);
    const view = await launchFor(t.ctx, learner, course, activity);
    let q = 0;
    const send = (op: 'deliver' | 'initialize' | 'commit' | 'state', more = {}) =>
      handleRuntime(t.ctx, { t: view.launch.token, q: ++q, op, ...more });
    await send('deliver', { sco: 'sco_3' });
    await send('initialize', { sco: 'sco_3' });
    // the last SCO (a post-test) is passed; its rollup rules make the whole package completed and passed
    await send('commit', {
      sco: 'sco_3',
      end: true,
      cmi: { set: { '/cmi/completion_status': 'completed', '/cmi/success_status': 'passed' } },
    });
    let progress = await enrolmentProgress(t.ctx.db, learner.enrolmentId);
    assert.equal(progress?.progress_pct, 0, 'one SCO of three is no completed activity by itself');
    await send('state', { root: { completion: 'incomplete', success: 'unknown' } });
    assert.equal((await enrolmentProgress(t.ctx.db, learner.enrolmentId))?.progress_pct, 0);
    await send('state', { root: { completion: 'completed', success: 'passed', score: 0.9 } });
    // an older view of the rollup arriving late changes nothing
    await send('state', { root: { completion: 'incomplete', success: 'failed' } });
    progress = await enrolmentProgress(t.ctx.db, learner.enrolmentId);
    assert.equal(progress?.progress_pct, 100);
    assert.equal(progress?.status, 'passed');
    assert.equal(progress?.score, 0.9);
    const statements = (await t.ctx
      .db('statements')
      .where({ registration: learner.registration })
      .orderBy('seq')
      .select('verb_id', 'activity_id', 'statement')) as {
      verb_id: string;
      activity_id: string;
      statement: Obj;
    }[];
    const course_ = statements.filter(
      (s) => s.activity_id === `${t.ctx.config.publicUrl}/xapi/activities/scorm/${pkg.id}`,
    );
    assert.deepEqual(
      course_.map((s) => [s.verb_id.split('/').pop(), s.statement.result]),
      [
        ['completed', { completion: true, success: true, score: { scaled: 0.9 } }],
        ['passed', { completion: true, success: true, score: { scaled: 0.9 } }],
      ],
    );
    const attempt = (await t.ctx.db('scorm_attempts').where({ id: view.attempt.id }).first()) as Obj;
    assert.deepEqual([attempt.root_completion, attempt.root_success], ['completed', 'passed']);
  });

  it('adds nothing when the course may not be edited by the actor', async () => {
    const owner = await buildUser(t.ctx.db, { roles: ['trainer'] });
    const other = await buildUser(t.ctx.db, { roles: ['trainer'] });
    const mine = await imported(owner, 'Mine', 1);
    const theirs = await imported(other, 'Theirs', 1);
    const { course } = await addToCourse(t.ctx, sessionUser(owner), mine.id, { target: 'new' }, 'en');
    const count = async (table: string, where: Record<string, string> = {}) =>
      Number(((await t.ctx.db(table).where(where).count({ n: '*' })) as [{ n: string | number }])[0].n);
    const before = await count('course_activity_iris');
    await assert.rejects(
      addToCourse(t.ctx, sessionUser(other), theirs.id, { target: 'existing', course_id: course.id }, 'en'),
      { status: 404 },
    );
    assert.equal(await count('course_activity_iris'), before);
    assert.equal(await count('activities', { course_id: course.id }), 1);
  });
});
