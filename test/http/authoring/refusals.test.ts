import assert from 'node:assert/strict';
import fs from 'node:fs';
import { diskFileStore } from '../../../src/modules/authoring/files.storage.js';
import { enrolLearners } from '../../../src/modules/courses/enrolments.repo.js';
import { buildUser } from '../../factories.js';
import { postForm, signIn, startTestApp, type TestApp } from '../../helpers/http.js';
import { asSession, buildAuthoredCourse } from '../../integration/authoring/fixtures.js';

// Taking a published authored course (/learn) is for its enrolled learners: a member who is not enrolled is
// refused by the policy on every page and form (forms carry a valid CSRF token), and nothing is tracked.
describe('authoring: refusals of /learn to a member not enrolled', function () {
  this.timeout(60_000);
  let t: TestApp;
  let built: Awaited<ReturnType<typeof buildAuthoredCourse>>;
  let slug: string;

  before(async () => {
    t = await startTestApp();
    const author = await buildUser(t.ctx.db, { roles: ['learner'] });
    built = await buildAuthoredCourse(t.ctx.db, diskFileStore(t.ctx.config.contentDir), asSession(author), {
      publish: t.ctx.config,
    });
    slug = (await t.ctx.db('courses').where({ id: built.published!.courseId }).first()).slug;
  });
  after(async () => {
    await t.close();
    fs.rmSync(t.ctx.config.contentDir, { recursive: true, force: true });
  });

  const attemptsOf = async (userId: string) =>
    (await t.ctx.db('authored_attempts').where({ user_id: userId })).length;
  const refusedToEnrol = (res: { status: number; text: string }, what: string) => {
    assert.equal(res.status, 403, what);
    assert.match(res.text, /Enrol in this course to open its activities/, what);
  };

  it('opens the course and its lessons for an enrolled learner', async () => {
    const learner = await buildUser(t.ctx.db);
    await enrolLearners(t.ctx.db, built.published!.courseId, [learner.id], null);
    const agent = await signIn(t.app, learner.email, learner.password);
    assert.equal((await agent.get(`/learn/${slug}`)).status, 200);
    assert.equal((await agent.get(`/learn/${slug}/lessons/${built.lessons[0]!.id}`)).status, 200);
    assert.equal(await attemptsOf(learner.id), 1);
  });

  it('refuses the course page, a lesson, a quiz and completing a lesson (403), tracking nothing', async () => {
    const member = await buildUser(t.ctx.db);
    const agent = await signIn(t.app, member.email, member.password);
    const lesson = `/learn/${slug}/lessons/${built.lessons[0]!.id}`;
    refusedToEnrol(await agent.get(`/learn/${slug}`), 'course page');
    refusedToEnrol(await agent.get(lesson), 'lesson');
    const quiz = `/learn/${slug}/quizzes/${built.quiz.id}`;
    refusedToEnrol(await postForm(agent, '/authoring', quiz, { q_qsingle: 'a' }), 'quiz');
    refusedToEnrol(await postForm(agent, '/authoring', `${lesson}/complete`, {}), 'complete');
    assert.equal(await attemptsOf(member.id), 0);
    const statements = await t.ctx
      .db('statements')
      .whereRaw(`statement->'actor'->'account'->>'name' = ?`, [member.id])
      .count({ n: '*' });
    assert.equal(Number(statements[0]!.n), 0);
  });
});
