import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Config } from '../../platform/config.js';
import type { Db } from '../../platform/db.js';
import type { SessionUser } from '../../platform/http/types.js';
import type { ActivityRow, CourseRow, EnrolmentRow } from '../courses/index.js';
import { versionForAttempt } from '../packages/index.js';
import * as repo from './launches.repo.js';

const KEEP_EXPIRED_MS = 24 * 3600_000;

/** The platform's own xAPI activity id of an H5P activity; sub-contents are `<iri>?subContentId=<id>`. */
export const activityIri = (publicUrl: string, activityId: string) =>
  `${publicUrl}/xapi/activities/h5p/${activityId}`;

/** The learner as the xAPI actor of their statements and the agent of their State documents. */
export const learnerAgent = (publicUrl: string, user: { id: string; name: string }) => ({
  objectType: 'Agent' as const,
  name: user.name,
  account: { homePage: publicUrl, name: user.id },
});

export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

export const packageIdOf = (a: ActivityRow): string | null =>
  typeof a.content_ref.packageId === 'string' ? a.content_ref.packageId : null;

export interface Launch {
  token: string;
  row: repo.LaunchRow;
}

/**
 * Opens an H5P activity for this viewer: tracked under their enrolment's registration (an attempt keeps the
 * package version it started on), or, without an enrolment (owners, coordinators, admins), as a preview
 * under a fresh registration that no progress counts. Null when the package is gone.
 */
export async function startLaunch(
  ctx: { db: Db; config: Config },
  a: {
    course: CourseRow;
    activity: ActivityRow;
    enrolment: EnrolmentRow | null;
    viewer: SessionUser;
    lang: string;
  },
): Promise<Launch | null> {
  const { db, config } = ctx;
  const packageId = packageIdOf(a.activity);
  if (!packageId) return null;
  const tracked = a.enrolment && a.enrolment.status !== 'withdrawn' ? a.enrolment : null;
  const registration = tracked ? tracked.registration : randomUUID();
  const earlier = tracked ? await repo.attemptVersion(db, a.activity.id, registration) : undefined;
  const version = await versionForAttempt(
    db,
    packageId,
    earlier?.package_id === packageId ? earlier.package_version : undefined,
  );
  if (!version) return null;
  const token = randomBytes(32).toString('base64url');
  const row = await repo.insertLaunch(db, {
    token_hash: tokenHash(token),
    activity_id: a.activity.id,
    user_id: a.viewer.id,
    registration,
    preview: !tracked,
    package_id: packageId,
    package_version: version.version,
    language: a.lang,
    expires_at: new Date(Date.now() + config.contentTokenTtlSeconds * 1000),
  });
  await repo.deleteExpiredLaunches(db, new Date(Date.now() - KEEP_EXPIRED_MS));
  return { token, row };
}

/** The launch a token grants, while it lasts. */
export async function liveLaunch(db: Db, token: string): Promise<repo.LaunchRow | undefined> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
  return repo.findLiveLaunch(db, tokenHash(token));
}
