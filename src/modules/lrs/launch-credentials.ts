import type { Db } from '../../platform/db.js';
import { BadRequest } from '../../platform/errors.js';
import { hashSecret } from './auth.js';
import { deleteExpiredLaunchCredentials, insertClient } from './clients.repo.js';
import { basicHeader, newKey, newSecret } from './clients.service.js';
import { agentProblem, UUID } from './documents.schemas.js';
import type { Agent, Scope } from './lrs.types.js';

export interface LaunchCredentialInput {
  /** The learner: the only actor its statements and State documents may have. */
  actor: Agent;
  /** The one registration its statements may carry (the enrolment attempt). */
  registration: string;
  activityId?: string;
  ttlSeconds: number;
  /** The platform's PUBLIC_URL, the homePage of the credential's authority account. */
  publicUrl?: string;
}

export interface LaunchCredential {
  key: string;
  secret: string;
  authHeader: string;
  expiresAt: Date;
}

/** Statements (its own, restricted by `LrsAuth.launch`), the learner's State, reading profiles. */
const LAUNCH_SCOPES: Scope[] = ['statements/write', 'statements/read/mine', 'state', 'profile'];
const KEEP_EXPIRED_MS = 24 * 3600_000;

/**
 * Short-lived credentials for content the platform launches (SCORM, H5P, cmi5): HTTP Basic like any
 * client, restricted to one learner and one registration, never voiding; 401 once expired.
 */
export async function issueLaunchCredential(db: Db, input: LaunchCredentialInput): Promise<LaunchCredential> {
  const problem = agentProblem(input.actor, { allowGroup: false });
  if (problem) throw new BadRequest('lrs:params.agent', { name: 'actor', problem });
  if (!UUID.test(input.registration)) {
    throw new BadRequest('lrs:params.uuid', { name: 'registration', value: input.registration });
  }
  if (!(input.ttlSeconds > 0)) throw new BadRequest('lrs:launch.ttl');
  const key = newKey();
  const secret = newSecret();
  const expiresAt = new Date(Date.now() + input.ttlSeconds * 1000);
  const homePage = input.publicUrl ?? input.actor.account?.homePage ?? 'http://localhost';
  await insertClient(db, {
    kind: 'launch',
    name: `launch ${input.registration}`,
    key,
    secretHash: hashSecret(secret),
    scopes: LAUNCH_SCOPES,
    authority: { objectType: 'Agent', name: 'WorkCoopHub launch', account: { homePage, name: key } },
    launch: {
      actor: input.actor,
      registration: input.registration.toLowerCase(),
      ...(input.activityId ? { activityId: input.activityId } : {}),
    },
    expiresAt,
  });
  await deleteExpiredLaunchCredentials(db, new Date(Date.now() - KEEP_EXPIRED_MS));
  return { key, secret, authHeader: basicHeader(key, secret), expiresAt };
}
