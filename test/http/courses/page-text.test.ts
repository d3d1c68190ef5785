import assert from 'node:assert/strict';
import { buildUser } from '../../factories.js';
import { postForm, signIn, startTestApp, type Agent, type TestApp } from '../../helpers/http.js';
import { buildCourse } from '../../integration/courses/fixtures.js';

// A page's text may hold 100,000 characters of any script: the form's body limit must let the longest through
// (4-byte characters are 12 bytes once percent-encoded), so that a longer text gets the form's own message.
describe('page activity text at its limit (HTTP)', () => {
  let t: TestApp;
  let agent: Agent;
  let page: string;
  before(async function () {
    this.timeout(60_000);
    t = await startTestApp();
    const trainer = await buildUser(t.ctx.db, { roles: ['trainer'] });
    agent = await signIn(t.app, trainer.email, trainer.password);
    page = `/teach/courses/${(await buildCourse(t.ctx.db, { ownerId: trainer.id, status: 'draft' })).id}`;
  });
  after(() => t.close());

  const add = (title: string, body: string) =>
    postForm(agent, `${page}/activities/new`, `${page}/activities`, { title, body });
  const stored = async (title: string) =>
    (await t.ctx
      .db('pages as p')
      .join('activities as a', (j) => j.on(t.ctx.db.raw(`(a.content_ref->>'pageId')::uuid = p.id`)))
      .where('a.title', title)
      .first('p.body')) as { body: string } | undefined;

  for (const [script, char] of [
    ['2-byte', 'é'],
    ['4-byte', '😀'],
  ] as const) {
    it(`accepts 100,000 ${script} characters and refuses 100,001 with the form's message`, async () => {
      const full = await add(`Full ${script}`, char.repeat(100_000));
      assert.equal(full.status, 303);
      assert.equal([...(await stored(`Full ${script}`))!.body].length, 100_000);

      const over = await add(`Over ${script}`, char.repeat(100_001));
      assert.equal(over.status, 422);
      assert.match(over.text, /The text is too long: use at most 100,000 characters/);
      assert.match(over.text, /aria-invalid="true"/);
      assert.equal(await stored(`Over ${script}`), undefined);
    });
  }
});
