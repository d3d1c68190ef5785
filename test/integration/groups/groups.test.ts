import assert from 'node:assert/strict';
import type { Database } from '../../../src/platform/db.js';
import { Forbidden, NotFound, ValidationFailed } from '../../../src/platform/errors.js';
import { toSessionUser } from '../../../src/modules/accounts/accounts.repo.js';
import * as groups from '../../../src/modules/groups/groups.service.js';
import { activeMemberIds, listGroups, listMembers } from '../../../src/modules/groups/groups.repo.js';
import { buildUser } from '../../factories.js';
import { createTestDatabase } from '../../helpers/db.js';

describe('groups service (database)', () => {
  let d: Database;
  before(async function () {
    this.timeout(60_000);
    d = await createTestDatabase();
  });
  after(() => d.close());

  it('creates a group managed by its creator and refuses a second one of the same name', async () => {
    const coordinator = toSessionUser(await buildUser(d.db, { roles: ['coordinator'] }));
    const g = await groups.createGroup(d.db, coordinator, {
      name: 'Web makers',
      description: '',
      kind: 'working_group',
    });
    assert.equal(g.managed_by, coordinator.id);
    await assert.rejects(
      groups.createGroup(d.db, coordinator, { name: 'WEB MAKERS', description: '', kind: 'cohort' }),
      (e: unknown) => e instanceof ValidationFailed && e.fields.name === 'groups:errors.nameTaken',
    );
    const listed = (await listGroups(d.db, { kind: 'working_group' })).find((x) => x.id === g.id);
    assert.equal(listed?.manager_name, coordinator.name);
  });

  it('adds members by email once, removes them, and refuses unknown addresses', async () => {
    const coordinator = toSessionUser(await buildUser(d.db, { roles: ['coordinator'] }));
    const member = await buildUser(d.db);
    const g = await groups.createGroup(d.db, coordinator, {
      name: 'Cohort 7',
      description: 'x',
      kind: 'cohort',
    });
    assert.equal(
      (await groups.addMemberByEmail(d.db, coordinator, g.id, member.email.toUpperCase())).added,
      true,
    );
    assert.equal((await groups.addMemberByEmail(d.db, coordinator, g.id, member.email)).added, false);
    assert.deepEqual(await activeMemberIds(d.db, g.id), [member.id]);
    await assert.rejects(
      groups.addMemberByEmail(d.db, coordinator, g.id, 'nobody@example.org'),
      (e: unknown) => e instanceof ValidationFailed && e.fields.email === 'groups:errors.unknownEmail',
    );
    await groups.removeMember(d.db, coordinator, g.id, member.id);
    assert.equal((await listMembers(d.db, g.id)).length, 0);
    await assert.rejects(groups.removeMember(d.db, coordinator, g.id, member.id), NotFound);
  });

  it('is for coordinators and admins only', async () => {
    const trainer = toSessionUser(await buildUser(d.db, { roles: ['trainer'] }));
    await assert.rejects(
      groups.createGroup(d.db, trainer, { name: 'Nope', description: '', kind: 'cohort' }),
      Forbidden,
    );
  });
});
