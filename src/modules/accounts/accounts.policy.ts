import type { SessionUser, Role } from '../../platform/http/types.js';

export const hasRole = (user: SessionUser | undefined | null, ...roles: Role[]) =>
  !!user && roles.some((r) => user.roles.includes(r));

/** The admin pages of users, and of what concerns them (the mail outbox, the audit log), are for admins. */
export const mayManageUsers = (user: SessionUser | undefined | null) => hasRole(user, 'admin');

/** An admin cannot take the admin role from themselves or disable themselves: someone must stay in charge. */
export const mayChangeOwnAccess = (actor: SessionUser, targetId: string) => actor.id !== targetId;
