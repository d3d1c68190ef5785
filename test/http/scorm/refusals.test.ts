import assert from 'node:assert/strict';
import fs from 'node:fs';
import { buildUser } from '../../factories.js';
import { postForm, signIn, startTestApp, type Agent, type TestApp } from '../../helpers/http.js';
import { enrolledLearner, generatedCourse } from '../../integration/scorm/helpers.js';

// Who may open a course's SCORM player or preview a package: every refusal is the policy's (forms carry a
// valid CSRF token) and leaves no attempt behind.
describe('scorm: refusals of the player and the preview', function () {
  this.timeout(60_000);
  let t: TestApp;
  let made: Awaited<ReturnType<typeof generatedCourse>>;
  let player: string;
  let preview: string;

  before(async () => {
    t = await startTestApp();
    made = await generatedCourse(t.ctx, { version: '1.2' });
    player = `/courses/${made.course.slug}/activities/${made.activity.id}/scorm`;
    preview = `/scorm/preview/${made.pkg.id}`;
  });
  after(async () => {
    await t.close();
    fs.rmSync(t.ctx.config.contentDir, { recursive: true, force: true });
  });

  const attemptsOf = async (userId: string) =>
    (await t.ctx.db('scorm_attempts').where({ user_id: userId })).length;
  const agentOf = async (roles: ('learner' | 'trainer' | 'coordinator' | 'admin')[]) => {
    const u = await buildUser(t.ctx.db, { roles });
    return { user: u, agent: await signIn(t.app, u.email, u.password) };
  };
  const refusedToEnrol = (res: { status: number; text: string }) => {
    assert.equal(res.status, 403);
    assert.match(res.text, /Enrol in this course to open its activities/);
  };

  it('opens the player for an enrolled learner (the refusals below are not for everyone)', async () => {
    const learner = await enrolledLearner(t.ctx.db, made.course.id);
    const agent = await signIn(t.app, learner.email, learner.password);
    assert.equal((await agent.get(player)).status, 200);
    assert.equal(await attemptsOf(learner.id), 1);
  });

  it('refuses the player to a learner who is not enrolled (403), starting no attempt', async () => {
    const { user, agent } = await agentOf(['learner']);
    refusedToEnrol(await agent.get(player));
    assert.equal(await attemptsOf(user.id), 0);
  });

  it('refuses a new attempt to a learner who is not enrolled (403), with a valid CSRF token', async () => {
    const { user, agent } = await agentOf(['learner']);
    refusedToEnrol(await postForm(agent, `/courses/${made.course.slug}`, `${player}/new-attempt`, {}));
    assert.equal(await attemptsOf(user.id), 0);
  });

  it('previews the package for its owner and a coordinator', async () => {
    const owner: Agent = await signIn(t.app, made.trainer.email, made.trainer.password);
    assert.equal((await owner.get(preview)).status, 200);
    const { agent } = await agentOf(['coordinator']);
    assert.equal((await agent.get(preview)).status, 200);
  });

  it('hides the preview from another trainer and from a learner (404), starting no attempt', async () => {
    for (const roles of [['trainer'], ['learner']] as const) {
      const { user, agent } = await agentOf([...roles]);
      assert.equal((await agent.get(preview)).status, 404, roles[0]);
      assert.equal(await attemptsOf(user.id), 0, roles[0]);
    }
  });

  it('hides the preview from an owner who is no longer a trainer (404), as /packages does', async () => {
    const owner = await buildUser(t.ctx.db, { roles: ['trainer'] });
    const own = await generatedCourse(t.ctx, { version: '2004' });
    await t.ctx.db('packages').where({ id: own.pkg.id }).update({ owner_id: owner.id });
    const agent = await signIn(t.app, owner.email, owner.password);
    assert.equal((await agent.get(`/scorm/preview/${own.pkg.id}`)).status, 200);
    const before = await attemptsOf(owner.id);

    await t.ctx.db('user_roles').where({ user_id: owner.id }).delete();
    await t.ctx.db('user_roles').insert({ user_id: owner.id, role: 'learner' });
    assert.equal((await agent.get(`/packages/${own.pkg.id}`)).status, 403);
    assert.equal((await agent.get(`/scorm/preview/${own.pkg.id}`)).status, 404);
    assert.equal(await attemptsOf(owner.id), before);
  });
});
