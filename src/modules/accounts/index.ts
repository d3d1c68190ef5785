export { accountsRoutes } from './accounts.routes.js';
export { adminRoutes, isUuid } from './admin.routes.js';
export { createPassport } from './passport.js';
export { samlEndpoints } from './saml.routes.js';
export { samlPages } from './saml.pages.js';
export { samlAdminRoutes } from './saml.admin.js';
export { createUser, sessionUser } from './accounts.service.js';
export {
  findUserByEmail,
  findUserById,
  listUsers,
  type UserRow,
  type UserWithRoles,
} from './accounts.repo.js';
export { hasRole } from './accounts.policy.js';
export { CreateUserInput } from './accounts.schemas.js';
export { accountChores } from './housekeeping.js';
