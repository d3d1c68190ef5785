/** Shared shapes of the LRS module (xAPI 2.0 / 1.0.3). */

export type XapiVersion = '2.0.0' | '1.0.3';

/** xAPI scopes (xAPI 1.0.3 Communication §4.1 / 2.0 §4.2). */
export const SCOPES = [
  'statements/write',
  'statements/read',
  'statements/read/mine',
  'state',
  'define',
  'profile',
  'all/read',
  'all',
] as const;
export type Scope = (typeof SCOPES)[number];

export interface Account {
  homePage: string;
  name: string;
}

export interface Agent {
  objectType?: 'Agent';
  name?: string;
  mbox?: string;
  mbox_sha1sum?: string;
  openid?: string;
  account?: Account;
}

export interface Group {
  objectType: 'Group';
  name?: string;
  mbox?: string;
  mbox_sha1sum?: string;
  openid?: string;
  account?: Account;
  member?: Agent[];
}

export type Actor = Agent | Group;

/**
 * Who is calling the LRS, set on `res.locals.lrsAuth` by the authentication middleware.
 * A launch-scoped credential (content the platform launches) carries a `launch` restriction:
 * it may write statements only with that actor and registration, read back only that actor's data,
 * and never void.
 */
export interface LrsAuth {
  clientId: string;
  /** The Agent or Group put in `authority` of stored statements. */
  authority: Actor;
  scopes: ReadonlySet<Scope>;
  launch?: { actor: Agent; registration: string; activityId?: string };
}
