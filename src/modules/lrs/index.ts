export { lrsHttp } from './lrs.routes.js';
export { lrsAdminRoutes } from './clients.routes.js';
export { hasScope } from './auth.js';
export { createLrsClient, type IssuedCredential } from './clients.service.js';
export { NewClientForm as lrsClientForm } from './clients.schemas.js';
export {
  issueLaunchCredential,
  type LaunchCredential,
  type LaunchCredentialInput,
} from './launch-credentials.js';
export type { LrsAuth, Scope, Agent, Group, Actor, XapiVersion } from './lrs.types.js';
export { SCOPES } from './lrs.types.js';
export {
  storeStatements,
  onStatementsStored,
  type StoredStatement,
  type StatementsHook,
} from './statements.service.js';
export { lrsForwardingRoutes } from './forwarding.routes.js';
// Server-side access to the same documents as /xapi/activities/state, for players that save through an
// endpoint of their own (H5P's user data): address them with `ifiKey(agent)` as `agentKey`.
export { getDocument, putDocument, deleteDocument } from './documents.service.js';
export type { DocumentAddress } from './documents.repo.js';
export { ifiKey } from './ifi.js';
