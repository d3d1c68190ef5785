export { lrsRouter } from './lrs.routes.js';
export { hasScope } from './auth.js';
export { createLrsClient, type IssuedCredential } from './clients.service.js';
export type { LrsAuth, Scope, Agent, Group, Actor, XapiVersion } from './lrs.types.js';
export { SCOPES } from './lrs.types.js';
