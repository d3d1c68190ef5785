import assert from 'node:assert/strict';
import supertest from 'supertest';
import { insertGroup, insertMember } from '../../../src/modules/groups/index.js';
import { buildUser } from '../../factories.js';
import { postForm, signIn, startTestApp, type TestApp } from '../../helpers/http.js';

describe('groups (HTTP)', () => {
  let t: TestApp;
  before(async function () {
    this.timeout(60_000);
    t = await startTestApp();
  });
  after(() => t.close());

  it('is refused to learners and trainers with 403', async () => {
    for (const roles of [['learner'], ['trainer']] as const) {
      const u = await buildUser(t.ctx.db, { roles: [...roles] });
      const agent = await signIn(t.app, u.email, u.password);
      assert.equal((await agent.get('/groups')).status, 403);
      assert.equal((await agent.get('/groups/new')).status, 403);
    }
  });

  it('refuses learners and trainers every /groups/:id route with 403, even with a valid CSRF token', async () => {
    const member = await buildUser(t.ctx.db);
    const group = await insertGroup(t.ctx.db, {
      kind: 'cohort',
      name: 'Guarded cohort',
      description: 'As it was',
      managedBy: null,
    });
    await insertMember(t.ctx.db, { groupId: group.id, userId: member.id, addedBy: null });
    const path = `/groups/${group.id}`;
    for (const roles of [['learner'], ['trainer']] as const) {
      const u = await buildUser(t.ctx.db, { roles: [...roles] });
      const agent = await signIn(t.app, u.email, u.password);
      for (const get of [path, `${path}/edit`, `${path}/delete`])
        assert.equal((await agent.get(get)).status, 403, `${roles[0]} GET ${get}`);
      const posts: [string, Record<string, unknown>][] = [
        [`${path}/edit`, { name: 'Taken over', kind: 'working_group', description: '' }],
        [`${path}/members`, { email: u.email }],
        [`${path}/members/${member.id}/remove`, {}],
        [`${path}/delete`, {}],
      ];
      for (const [action, fields] of posts) {
        const res = await postForm(agent, '/', action, fields);
        assert.equal(res.status, 403, `${roles[0]} POST ${action}`);
        assert.match(res.text, /You do not have permission to do this\./, 'refused by role, not by CSRF');
      }
    }
    const row = await t.ctx.db('groups').where({ id: group.id }).first();
    assert.deepEqual([row.name, row.kind, row.description], ['Guarded cohort', 'cohort', 'As it was']);
    const members = await t.ctx.db('group_members').where({ group_id: group.id }).pluck('user_id');
    assert.deepEqual(members, [member.id]);
  });

  it('renames a group, refuses a name another group has (in any case), and lists cohorts only', async () => {
    const c = await buildUser(t.ctx.db, { roles: ['coordinator'] });
    const agent = await signIn(t.app, c.email, c.password);
    const cohort = await postForm(agent, '/groups/new', '/groups', {
      name: 'Autumn starters',
      kind: 'cohort',
    });
    await postForm(agent, '/groups/new', '/groups', { name: 'Web team', kind: 'working_group' });
    const edit = `${cohort.headers.location!}/edit`;
    const renamed = await postForm(agent, edit, edit, {
      name: 'Autumn starters 2026',
      kind: 'cohort',
      description: 'Started in October',
    });
    assert.equal(renamed.status, 303);
    assert.match((await agent.get(cohort.headers.location!)).text, /Autumn starters 2026/);
    // its own name in another case is fine; another group's is not
    assert.equal(
      (await postForm(agent, edit, edit, { name: 'AUTUMN starters 2026', kind: 'cohort' })).status,
      303,
    );
    const taken = await postForm(agent, edit, edit, { name: 'web TEAM', kind: 'cohort' });
    assert.equal(taken.status, 422);
    assert.match(taken.text, /A group with this name exists already/);
    const row = await t.ctx
      .db('groups')
      .where({ id: cohort.headers.location!.split('/').pop() })
      .first();
    assert.equal(row.name, 'AUTUMN starters 2026');

    const cohorts = await agent.get('/groups?kind=cohort');
    assert.match(cohorts.text, /AUTUMN starters 2026/);
    assert.doesNotMatch(cohorts.text, /Web team/);
    assert.match((await agent.get('/groups?kind=working_group')).text, /Web team/);
    assert.match((await agent.get('/groups?kind=nonsense')).text, /Web team/);
  });

  it('lets a coordinator create a group, add and remove members, with clear messages', async () => {
    const c = await buildUser(t.ctx.db, { roles: ['coordinator'] });
    const agent = await signIn(t.app, c.email, c.password);
    const invalid = await postForm(agent, '/groups/new', '/groups', { name: '', kind: 'club' });
    assert.equal(invalid.status, 422);
    assert.match(invalid.text, /Enter a name for the group\./);
    assert.match(invalid.text, /Choose whether this is a working group or a cohort\./);

    const res = await postForm(agent, '/groups/new', '/groups', {
      name: 'Designers circle',
      kind: 'working_group',
      description: 'Monthly critique',
    });
    assert.equal(res.status, 303);
    const path = res.headers.location!;
    const dup = await postForm(agent, '/groups/new', '/groups', { name: 'designers CIRCLE', kind: 'cohort' });
    assert.equal(dup.status, 422);
    assert.match(dup.text, /A group with this name exists already/);

    const member = await buildUser(t.ctx.db);
    await postForm(agent, path, `${path}/members`, { email: member.email });
    const page = await agent.get(path);
    assert.match(page.text, new RegExp(`${member.name} was added to the group\\.`));
    assert.match(page.text, /1 member/);
    const unknown = await postForm(agent, path, `${path}/members`, { email: 'ghost@example.org' });
    assert.equal(unknown.status, 422);
    assert.match(unknown.text, /No account has this email address/);

    await postForm(agent, path, `${path}/members/${member.id}/remove`, {});
    assert.match((await agent.get(path)).text, /This group has no members yet\./);
    assert.match((await agent.get('/groups')).text, /Designers circle/);

    const del = `${path}/delete`;
    assert.equal((await postForm(agent, del, del, {})).status, 303);
    assert.equal((await agent.get(path)).status, 404);
  });

  it('answers 404 for ids that are not groups', async () => {
    const c = await buildUser(t.ctx.db, { roles: ['admin'] });
    const agent = await signIn(t.app, c.email, c.password);
    assert.equal((await agent.get('/groups/not-a-uuid')).status, 404);
    assert.equal((await agent.get('/groups/00000000-0000-4000-8000-000000000000')).status, 404);
  });

  it('sends a form sent without a signed-in session to sign in, not to a 401 page', async () => {
    const visitor = supertest.agent(t.app);
    const res = await postForm(visitor, '/signin', '/groups', { name: 'From nowhere', kind: 'cohort' });
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, '/signin');
    assert.equal(await t.ctx.db('groups').where({ name: 'From nowhere' }).first(), undefined);
  });

  it('refuses a group form without its CSRF token', async () => {
    const c = await buildUser(t.ctx.db, { roles: ['coordinator'] });
    const agent = await signIn(t.app, c.email, c.password);
    await agent.get('/groups/new');
    const res = await agent.post('/groups').type('form').send({ name: 'No token', kind: 'cohort' });
    assert.equal(res.status, 403);
  });
});
