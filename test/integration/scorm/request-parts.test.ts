import assert from 'node:assert/strict';
import { handleRuntime, RuntimeRefused } from '../../../src/modules/scorm/runtime.service.js';
import { RuntimeRequest } from '../../../src/modules/scorm/runtime.schemas.js';
import { startTestApp, type TestApp } from '../../helpers/http.js';
import { enrolledLearner, generatedCourse, launchFor, statementsOf } from './helpers.js';

type Obj = Record<string, unknown>;

// A final commit larger than one beacon (64 KiB) comes in parts: nothing is applied until the last part is
// there, whatever order they arrive in; parts that do not make a request are refused and change nothing.
describe('scorm: a runtime request sent in parts', function () {
  this.timeout(60_000);
  let t: TestApp;

  before(async function () {
    this.timeout(180_000);
    t = await startTestApp();
  });
  after(() => t?.close());

  async function started() {
    const { course, activity } = await generatedCourse(t.ctx, { version: '2004' });
    const learner = await enrolledLearner(t.ctx.db, course.id);
    const view = await launchFor(t.ctx, learner, course, activity);
    const token = view.launch.token;
    await handleRuntime(t.ctx, { t: token, q: 1, op: 'deliver', sco: 'sco_1' });
    await handleRuntime(t.ctx, { t: token, q: 2, op: 'initialize', sco: 'sco_1' });
    const cmi = async () =>
      ((await t.ctx.db('scorm_sco_states').where({ attempt_id: view.attempt.id }).first()) as { cmi: Obj })
        .cmi.cmi as Obj;
    const parts = async () =>
      Number(((await t.ctx.db('scorm_request_parts').count({ n: '*' })) as { n: string | number }[])[0]!.n);
    return { token, registration: learner.registration, cmi, parts };
  }

  /** The request's JSON text cut in `n` pieces, as part requests (validated as the route validates them). */
  const cut = (whole: Obj, n: number) => {
    const text = JSON.stringify(whole);
    const size = Math.ceil(text.length / n);
    return Array.from({ length: n }, (_, i) =>
      RuntimeRequest.parse({
        t: whole.t,
        q: whole.q,
        op: 'part',
        part: { i, n, data: text.slice(i * size, (i + 1) * size) },
      }),
    );
  };

  it('applies a terminating commit of 64,000 characters once all its parts are in, in any order', async () => {
    const s = await started();
    const suspendData = 'Łódź 東京 '.repeat(8000);
    const whole = {
      t: s.token,
      q: 3,
      op: 'commit',
      sco: 'sco_1',
      end: true,
      cmi: { set: { '/cmi/suspend_data': suspendData, '/cmi/exit': 'suspend', '/cmi/location': 'p9' } },
    };
    const [a, b, c] = cut(whole, 3);
    assert.deepEqual(await handleRuntime(t.ctx, c!), { result: true, errorCode: 0 });
    assert.deepEqual(await handleRuntime(t.ctx, a!), { result: true, errorCode: 0 });
    assert.equal((await s.cmi()).suspend_data, undefined, 'nothing applied while a part is missing');
    assert.equal(await s.parts(), 2);
    await handleRuntime(t.ctx, b!);
    const cmi = await s.cmi();
    assert.equal(cmi.suspend_data, suspendData);
    assert.equal(cmi.location, 'p9');
    assert.equal(await s.parts(), 0, 'the parts are gone once used');
    assert.deepEqual(
      (await statementsOf(t.ctx.db, s.registration)).map((x) => x.verb),
      ['launched', 'initialized', 'suspended'],
    );
    // a part repeated after the request was applied starts a new, incomplete one: nothing changes
    await handleRuntime(t.ctx, a!);
    assert.equal((await s.cmi()).suspend_data, suspendData);
  });

  it('refuses parts that do not make a request of the same token and order, and keeps nothing of it', async () => {
    const s = await started();
    const other = { t: s.token, q: 9, op: 'commit', sco: 'sco_1', cmi: { set: { '/cmi/location': 'x' } } };
    const parts = cut(other, 2).map((p) => ({ ...p, q: 4 }));
    await handleRuntime(t.ctx, parts[0]!);
    await assert.rejects(
      handleRuntime(t.ctx, parts[1]!),
      (e) => e instanceof RuntimeRefused && e.errorCode === 391,
    );
    const broken = cut(other, 2).map((p) => ({ ...p, q: 5, part: { ...p.part!, data: p.part!.data + '}' } }));
    await handleRuntime(t.ctx, broken[0]!);
    await assert.rejects(
      handleRuntime(t.ctx, broken[1]!),
      (e) => e instanceof RuntimeRefused && e.errorCode === 391,
    );
    assert.equal((await s.cmi()).location, undefined);
  });
});
