export { groupsRoutes } from './groups.routes.js';
export { createGroup, addMemberByEmail } from './groups.service.js';
export {
  activeMemberIds,
  countGroups,
  deleteMember,
  findGroupById,
  findGroupByName,
  insertGroup,
  insertMember,
  listGroups,
  type GroupRow,
} from './groups.repo.js';
export { mayManageGroups } from './groups.policy.js';
