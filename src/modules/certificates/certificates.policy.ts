import type { SessionUser } from '../../platform/http/types.js';

type Viewer = SessionUser | null | undefined;
const holds = (u: Viewer, ...roles: SessionUser['roles']) => !!u && roles.some((r) => u.roles.includes(r));

/** Coordinators and admins list, revoke and re-issue certificates. */
export const mayManageCertificates = (u: Viewer) => holds(u, 'coordinator', 'admin');

/** The learner downloads their own; coordinators and admins any. */
export const mayDownload = (u: Viewer, c: { user_id: string }) =>
  !!u && (u.id === c.user_id || mayManageCertificates(u));
