import type { SessionUser } from '../../platform/http/types.js';

/** Coordinators and admins run groups and cohorts: create, edit, add and remove members. */
export const mayManageGroups = (user: SessionUser | null | undefined) =>
  !!user && (user.roles.includes('coordinator') || user.roles.includes('admin'));
