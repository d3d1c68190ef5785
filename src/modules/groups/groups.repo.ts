import type { Db } from '../../platform/db.js';
import type { GroupKind } from './groups.schemas.js';

export interface GroupRow {
  id: string;
  kind: GroupKind;
  name: string;
  description: string;
  managed_by: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface GroupWithManager extends GroupRow {
  manager_name: string | null;
}

export interface GroupListRow extends GroupWithManager {
  member_count: number;
}

export interface MemberRow {
  user_id: string;
  name: string;
  email: string;
  status: string;
  added_at: Date;
}

export const findGroupById = (db: Db, id: string): Promise<GroupWithManager | undefined> =>
  db('groups as g')
    .leftJoin('users as m', 'm.id', 'g.managed_by')
    .select('g.*', 'm.name as manager_name')
    .where('g.id', id)
    .first();

export const findGroupByName = (db: Db, name: string): Promise<GroupRow | undefined> =>
  db<GroupRow>('groups').whereRaw('lower(name) = lower(?)', [name]).first();

export async function insertGroup(
  db: Db,
  g: { kind: GroupKind; name: string; description: string; managedBy: string | null },
): Promise<GroupRow> {
  const [row] = await db('groups')
    .insert({ kind: g.kind, name: g.name, description: g.description, managed_by: g.managedBy })
    .returning('*');
  return row as GroupRow;
}

export const updateGroup = (
  db: Db,
  id: string,
  patch: Partial<Pick<GroupRow, 'kind' | 'name' | 'description'>>,
) =>
  db('groups')
    .where({ id })
    .update({ ...patch, updated_at: db.fn.now() });

export const deleteGroup = (db: Db, id: string) => db('groups').where({ id }).delete();

export async function listGroups(db: Db, f: { kind?: GroupKind } = {}): Promise<GroupListRow[]> {
  const rows: GroupListRow[] = await db('groups as g')
    .leftJoin('users as m', 'm.id', 'g.managed_by')
    .select(
      'g.*',
      'm.name as manager_name',
      db('group_members as gm').count('*').whereRaw('gm.group_id = g.id').as('member_count'),
    )
    .modify((q) => {
      if (f.kind) q.where('g.kind', f.kind);
    })
    .orderByRaw('lower(g.name)');
  return rows.map((r) => ({ ...r, member_count: Number(r.member_count) }));
}

export async function countGroups(db: Db): Promise<number> {
  const [{ count }] = (await db('groups').count({ count: '*' })) as unknown as [{ count: number | string }];
  return Number(count);
}

export const listMembers = (db: Db, groupId: string): Promise<MemberRow[]> =>
  db('group_members as gm')
    .join('users as u', 'u.id', 'gm.user_id')
    .where('gm.group_id', groupId)
    .select('u.id as user_id', 'u.name', 'u.email', 'u.status', 'gm.created_at as added_at')
    .orderByRaw('lower(u.name), lower(u.email)');

/** Adds a member; false when they were one already. */
export async function insertMember(
  db: Db,
  m: { groupId: string; userId: string; addedBy: string | null },
): Promise<boolean> {
  const rows = await db('group_members')
    .insert({ group_id: m.groupId, user_id: m.userId, added_by: m.addedBy })
    .onConflict(['group_id', 'user_id'])
    .ignore()
    .returning('user_id');
  return rows.length > 0;
}

/** Removes a member; false when they were not one. */
export async function deleteMember(db: Db, groupId: string, userId: string): Promise<boolean> {
  const rows = await db('group_members')
    .where({ group_id: groupId, user_id: userId })
    .delete()
    .returning('user_id');
  return rows.length > 0;
}

/** Members whose account is not disabled: who a coordinator can enrol at once. */
export async function activeMemberIds(db: Db, groupId: string): Promise<string[]> {
  const rows: { user_id: string }[] = await db('group_members as gm')
    .join('users as u', 'u.id', 'gm.user_id')
    .where('gm.group_id', groupId)
    .whereNot('u.status', 'disabled')
    .select('gm.user_id');
  return rows.map((r) => r.user_id);
}
