import type { Db } from '../../platform/db.js';
import type { Role, SessionUser } from '../../platform/http/types.js';
import type { Language } from '../../platform/i18n.js';

export type UserStatus = 'active' | 'invited' | 'disabled';

export interface UserRow {
  id: string;
  email: string;
  name: string;
  password_hash: string | null;
  password_changed_at: Date | null;
  language: Language | null;
  status: UserStatus;
  created_at: Date;
  updated_at: Date;
}

export interface UserWithRoles extends UserRow {
  roles: Role[];
}

const rolesOf = async (db: Db, ids: string[]): Promise<Map<string, Role[]>> => {
  const rows: { user_id: string; role: Role }[] = ids.length
    ? await db('user_roles').whereIn('user_id', ids).orderBy('role')
    : [];
  const map = new Map<string, Role[]>();
  for (const r of rows) map.set(r.user_id, [...(map.get(r.user_id) ?? []), r.role]);
  return map;
};

async function withRoles(db: Db, user: UserRow | undefined): Promise<UserWithRoles | undefined> {
  if (!user) return undefined;
  return { ...user, roles: (await rolesOf(db, [user.id])).get(user.id) ?? [] };
}

export const findUserById = async (db: Db, id: string) =>
  withRoles(db, await db<UserRow>('users').where({ id }).first());

export const findUserByEmail = async (db: Db, email: string) =>
  withRoles(db, await db<UserRow>('users').whereRaw('lower(email) = lower(?)', [email]).first());

export async function insertUser(
  db: Db,
  u: {
    email: string;
    name: string;
    passwordHash: string | null;
    status: UserStatus;
    language?: Language | null;
  },
): Promise<UserRow> {
  const [row] = await db('users')
    .insert({
      email: u.email,
      name: u.name,
      password_hash: u.passwordHash,
      password_changed_at: u.passwordHash ? db.fn.now() : null,
      status: u.status,
      language: u.language ?? null,
    })
    .returning('*');
  return row as UserRow;
}

/** The unique index on lower(email) refused a second account for an address. */
export const isEmailTakenError = (err: unknown): boolean => {
  const e = err as { code?: string; constraint?: string } | null;
  return e?.code === '23505' && e.constraint === 'users_email_unique';
};

export async function replaceRoles(db: Db, userId: string, roles: Role[]): Promise<void> {
  await db('user_roles').where({ user_id: userId }).delete();
  if (roles.length) await db('user_roles').insert(roles.map((role) => ({ user_id: userId, role })));
}

export const updateUser = (
  db: Db,
  id: string,
  patch: Partial<Pick<UserRow, 'name' | 'password_hash' | 'status' | 'language'>> & {
    password_changed_at?: unknown;
  },
) =>
  db('users')
    .where({ id })
    .update({ ...patch, updated_at: db.fn.now() });

/** Updates the user only while they have this status; 0 when they do not (any more). */
export const updateUserWithStatus = (
  db: Db,
  id: string,
  status: UserStatus,
  patch: Parameters<typeof updateUser>[2],
): Promise<number> =>
  db('users')
    .where({ id, status })
    .update({ ...patch, updated_at: db.fn.now() });

// One constant advisory-lock key: changes that may take away an admin run one at a time.
const ADMINS_LOCK = 7_301_000_001;

/** Until the transaction ends, no other change of admins runs (see ADMINS_LOCK). */
export const lockAdmins = async (trx: Db) => {
  await trx.raw('select pg_advisory_xact_lock(?::bigint)', [ADMINS_LOCK]);
};

export async function countOtherActiveAdmins(db: Db, userId: string): Promise<number> {
  const [{ count }] = (await db('users')
    .join('user_roles', 'user_roles.user_id', 'users.id')
    .where({ 'user_roles.role': 'admin', 'users.status': 'active' })
    .whereNot('users.id', userId)
    .count({ count: '*' })) as unknown as [{ count: number | string }];
  return Number(count);
}

export interface UserListFilter {
  search?: string;
  role?: Role;
  limit: number;
  offset: number;
}

export async function listUsers(
  db: Db,
  f: UserListFilter,
): Promise<{ users: UserWithRoles[]; total: number }> {
  const base = db<UserRow>('users').modify((q) => {
    if (f.search) {
      const like = `%${f.search.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
      q.where((w) => w.whereILike('email', like).orWhereILike('name', like));
    }
    if (f.role) q.whereIn('id', db('user_roles').select('user_id').where({ role: f.role }));
  });
  const [{ count }] = (await base.clone().count({ count: '*' })) as unknown as [{ count: number | string }];
  const rows: UserRow[] = await base.clone().orderBy('email').limit(f.limit).offset(f.offset);
  const roles = await rolesOf(
    db,
    rows.map((r) => r.id),
  );
  return { users: rows.map((r) => ({ ...r, roles: roles.get(r.id) ?? [] })), total: Number(count) };
}

/** Ends sessions of a user (all, or all but one) by their passport entry. */
export const deleteSessionsOfUser = (db: Db, userId: string, exceptSid?: string) =>
  db('sessions')
    .whereRaw(`sess -> 'passport' ->> 'user' = ?`, [userId])
    .modify((q) => {
      if (exceptSid) q.whereNot('sid', exceptSid);
    })
    .delete();

export const toSessionUser = (u: UserWithRoles): SessionUser => ({
  id: u.id,
  email: u.email,
  name: u.name,
  roles: u.roles,
  language: u.language,
});
