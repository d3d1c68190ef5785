import assert from 'node:assert/strict';
import { buildUser } from '../../factories.js';
import { signIn, startTestApp, type TestApp } from '../../helpers/http.js';
import { enrol, send, trackedCourse } from '../../integration/progress/helpers.js';

// My learning reads each enrolment's progress from the projections of the LRS, and its Continue link goes to the
// activity the learner touched last (not the first one), named after the course for screen readers.
describe('My learning: progress and Continue (HTTP)', () => {
  let t: TestApp;
  before(async function () {
    this.timeout(120_000); // the first test database of a process is made from scratch
    t = await startTestApp();
  });
  after(() => t.close());

  it('shows the projected status and percentage, and Continue leads to the activity touched last', async () => {
    const db = t.ctx.db;
    const owner = await buildUser(db, { roles: ['trainer'] });
    const learner = await buildUser(db);
    const { course, activities } = await trackedCourse(db, owner.id, 3, 'Knots and splices');
    const e = await enrol(db, course.id, learner.id);
    const [one, two] = activities;
    const at = (s: number) => new Date(Date.UTC(2026, 10, 2, 9, 0, s)).toISOString();
    const base = { registration: e.registration, userId: learner.id };
    await send(db, [
      { ...base, verb: 'completed', iri: one!.iri, at: at(0) },
      { ...base, verb: 'initialized', iri: two!.iri, at: at(30) },
    ]);

    const agent = await signIn(t.app, learner.email, learner.password);
    const page = await agent.get('/my-learning');
    assert.equal(page.status, 200);
    const row = page.text.slice(page.text.indexOf('Knots and splices'));
    assert.match(row, /In progress/);
    assert.match(row, /<progress max="100" value="33" aria-hidden="true"><\/progress>\s*33%/);
    assert.ok(
      row.includes(
        `<a class="button button-small" href="/courses/${course.slug}/activities/${two!.id}">Continue<span class="visually-hidden">: Knots and splices</span></a>`,
      ),
      'Continue goes to the second activity, touched last',
    );

    // once withdrawn, no Continue
    await db('enrolments').where({ id: e.id }).update({ status: 'withdrawn' });
    const after = await agent.get('/my-learning');
    assert.doesNotMatch(after.text, />Continue</);
  });
});
