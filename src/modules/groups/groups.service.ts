import type { Db } from '../../platform/db.js';
import { Forbidden, NotFound, ValidationFailed } from '../../platform/errors.js';
import type { SessionUser } from '../../platform/http/types.js';
import { findUserByEmail, isUuid } from '../accounts/index.js';
import { mayManageGroups } from './groups.policy.js';
import * as repo from './groups.repo.js';
import type { GroupForm } from './groups.schemas.js';

const isUniqueViolation = (err: unknown) => (err as { code?: string } | null)?.code === '23505';

/** A group that this user may manage; 404 for ids that are not groups, 403 for users who may not. */
export async function groupForManager(
  db: Db,
  actor: SessionUser,
  id: string,
): Promise<repo.GroupWithManager> {
  if (!mayManageGroups(actor)) throw new Forbidden();
  const group = isUuid(id) ? await repo.findGroupById(db, id) : undefined;
  if (!group) throw new NotFound('group');
  return group;
}

export async function createGroup(db: Db, actor: SessionUser, input: GroupForm): Promise<repo.GroupRow> {
  if (!mayManageGroups(actor)) throw new Forbidden();
  if (await repo.findGroupByName(db, input.name))
    throw new ValidationFailed({ name: 'groups:errors.nameTaken' });
  try {
    return await repo.insertGroup(db, { ...input, managedBy: actor.id });
  } catch (err) {
    if (isUniqueViolation(err)) throw new ValidationFailed({ name: 'groups:errors.nameTaken' });
    throw err;
  }
}

export async function updateGroup(db: Db, actor: SessionUser, id: string, input: GroupForm): Promise<void> {
  const group = await groupForManager(db, actor, id);
  const same = await repo.findGroupByName(db, input.name);
  if (same && same.id !== group.id) throw new ValidationFailed({ name: 'groups:errors.nameTaken' });
  try {
    await repo.updateGroup(db, group.id, input);
  } catch (err) {
    if (isUniqueViolation(err)) throw new ValidationFailed({ name: 'groups:errors.nameTaken' });
    throw err;
  }
}

export async function deleteGroup(db: Db, actor: SessionUser, id: string): Promise<repo.GroupWithManager> {
  const group = await groupForManager(db, actor, id);
  await repo.deleteGroup(db, group.id);
  return group;
}

/** Adds the user with this email; `added` is false when they were a member already. */
export async function addMemberByEmail(
  db: Db,
  actor: SessionUser,
  groupId: string,
  email: string,
): Promise<{ added: boolean; name: string }> {
  const group = await groupForManager(db, actor, groupId);
  const user = await findUserByEmail(db, email);
  if (!user) throw new ValidationFailed({ email: 'groups:errors.unknownEmail' });
  const added = await repo.insertMember(db, { groupId: group.id, userId: user.id, addedBy: actor.id });
  return { added, name: user.name };
}

export async function removeMember(db: Db, actor: SessionUser, groupId: string, userId: string) {
  const group = await groupForManager(db, actor, groupId);
  if (!isUuid(userId)) throw new NotFound('member');
  const removed = await repo.deleteMember(db, group.id, userId);
  if (!removed) throw new NotFound('member');
}
