import { randomBytes, randomUUID } from 'node:crypto';
import type { Config } from '../../platform/config.js';
import type { Db } from '../../platform/db.js';
import { Conflict, Forbidden, NotFound } from '../../platform/errors.js';
import type { SessionUser } from '../../platform/http/types.js';
import { courseForLearner, findActivityOfKind, type ActivityRow } from '../courses/index.js';
import { packageForEditor, signedContentUrl, versionForAttempt } from '../packages/index.js';
import { registerActivityIri } from '../progress/index.js';
import * as repo from './attempts.repo.js';
import type { ScormItem } from './manifest.js';
import { packageModel, type PackageModel } from './package-model.js';
import { hashToken } from './runtime.service.js';
import { courseIri, scoIri } from './statements.js';

export const SCORM_KIND = 'scorm';
/** A launch's token lasts a working day: long enough for a long session, short enough not to linger. */
const SESSION_TTL_MS = 12 * 3600_000;
/** Package files stay reachable as long as the session. */
const FILES_TTL_SECONDS = SESSION_TTL_MS / 1000;

export interface TocItem {
  id: string;
  title: string;
  launchable: boolean;
  children: TocItem[];
}

/** What the player on the content origin needs (handed over by postMessage, never in a URL). */
export interface PlayerLaunch {
  token: string;
  runtimeUrl: string;
  version: '1.2' | '2004';
  base: string;
  scos: Record<string, { href: string; title: string }>;
  order: string[];
  tree: unknown;
  sequencing: unknown;
  resumeSco: string | null;
  status: repo.AttemptStatus;
}

export interface PlayerView {
  title: string;
  courseTitle: string;
  courseSlug: string | null;
  activityId: string | null;
  attempt: repo.AttemptRow;
  preview: boolean;
  toc: TocItem[];
  showToc: boolean;
  mayStartNew: boolean;
  launch: PlayerLaunch;
}

const toc = (items: ScormItem[]): TocItem[] =>
  items
    .filter((i) => i.isVisible)
    .map((i) => ({
      id: i.identifier,
      title: i.title,
      launchable: i.launch !== null,
      children: toc(i.children),
    }));

/** The SCO IRIs of a course activity, for progress (idempotent). */
export async function registerScoIris(
  db: Db,
  config: Pick<Config, 'publicUrl'>,
  activityId: string,
  model: PackageModel,
) {
  for (const item of model.launchable)
    await registerActivityIri(
      db,
      activityId,
      scoIri(config.publicUrl, model.packageId, item.identifier),
      item.title,
    );
  // the package as a whole (2004: its sequencer's rollup; 1.2: all SCOs of the attempt's version) completes
  // the activity too, whatever SCOs other versions of the package had
  await registerActivityIri(db, activityId, courseIri(config.publicUrl, model.packageId), model.title, {
    decides: true,
  });
}

async function newAttempt(
  db: Db,
  a: Pick<
    repo.AttemptRow,
    'user_id' | 'registration' | 'enrolment_id' | 'activity_id' | 'package_id' | 'preview'
  >,
  number: number,
) {
  const version = await versionForAttempt(db, a.package_id);
  if (!version) throw new NotFound('package');
  return repo.insertAttempt(db, { ...a, package_version: version.version, number });
}

/** The attempt the learner goes on with: the open one, or a new one after an attempt that ended. */
async function currentAttempt(
  db: Db,
  a: Pick<
    repo.AttemptRow,
    'user_id' | 'registration' | 'enrolment_id' | 'activity_id' | 'package_id' | 'preview'
  >,
) {
  const latest = await repo.latestAttempt(db, a.registration, a.package_id);
  if (latest && latest.status !== 'ended') return latest;
  return newAttempt(db, a, (latest?.number ?? 0) + 1);
}

/** A new session of the attempt: its token (returned once, only its hash is kept). */
async function openSession(
  db: Db,
  attempt: repo.AttemptRow,
): Promise<{ token: string; attempt: repo.AttemptRow }> {
  const locked = (await repo.lockAttempt(db, attempt.id))!;
  const number = locked.sessions + 1;
  const token = randomBytes(32).toString('base64url');
  await repo.insertSession(db, attempt.id, number, hashToken(token), new Date(Date.now() + SESSION_TTL_MS));
  await repo.updateAttempt(db, attempt.id, { sessions: number });
  return { token, attempt: { ...locked, sessions: number } };
}

async function playerView(
  db: Db,
  config: Config,
  opened: { token: string; attempt: repo.AttemptRow },
  place: { courseTitle: string; courseSlug: string | null; activityId: string | null },
): Promise<PlayerView> {
  const { attempt, token } = opened;
  const model = await packageModel(db, attempt.package_id, attempt.package_version);
  const base = await signedContentUrl(
    { db, config },
    attempt.package_id,
    attempt.package_version,
    '',
    FILES_TTL_SECONDS,
  );
  const scos: PlayerLaunch['scos'] = {};
  for (const i of model.launchable) scos[i.identifier] = { href: i.launch!, title: i.title };
  const tocItems = toc(model.organization.items);
  return {
    title: model.title,
    courseTitle: place.courseTitle,
    courseSlug: place.courseSlug,
    activityId: place.activityId,
    attempt,
    preview: attempt.preview,
    toc: tocItems,
    showToc: model.launchable.length > 1,
    mayStartNew: !attempt.preview && (attempt.completed_at !== null || attempt.status === 'ended'),
    launch: {
      token,
      runtimeUrl: `${config.publicUrl}/scorm/runtime`,
      version: model.manifest.version,
      base,
      scos,
      order: model.launchable.map((i) => i.identifier),
      tree: model.tree,
      sequencing: attempt.sequencing,
      resumeSco: attempt.current_sco,
      status: attempt.status,
    },
  };
}

/** The course's SCORM activity as this viewer may take it, with their live enrolment (null: a preview). */
async function activityFor(db: Db, viewer: SessionUser, slug: string, activityId: string) {
  const found = await courseForLearner(db, viewer, slug);
  if (!found) throw new NotFound('course');
  const activity = (await findActivityOfKind(db, activityId, SCORM_KIND)) as ActivityRow | undefined;
  const packageId = activity?.content_ref.packageId;
  if (!activity || activity.course_id !== found.course.id || typeof packageId !== 'string')
    throw new NotFound('activity');
  if (!found.mayOpen) throw new Forbidden('courses:errors.enrolFirst');
  const e = found.enrolment;
  const live = e && e.user_id === viewer.id && e.status !== 'withdrawn' ? e : null;
  return { course: found.course, activity, packageId, live };
}

/**
 * Opening a course's SCORM activity: an enrolled learner goes on with their attempt (or a new one when it
 * ended); the course's editors preview it with a registration of its own, which is no enrolment's.
 */
export async function openActivity(
  db: Db,
  config: Config,
  viewer: SessionUser,
  slug: string,
  activityId: string,
): Promise<PlayerView> {
  const { course, activity, packageId, live } = await activityFor(db, viewer, slug, activityId);
  const opened = await db.transaction(async (trx) => {
    const attempt = live
      ? await currentAttempt(trx, {
          user_id: viewer.id,
          registration: live.registration,
          enrolment_id: live.id,
          activity_id: activity.id,
          package_id: packageId,
          preview: false,
        })
      : await newAttempt(
          trx,
          {
            user_id: viewer.id,
            registration: randomUUID(),
            enrolment_id: null,
            activity_id: activity.id,
            package_id: packageId,
            preview: true,
          },
          1,
        );
    if (live)
      await registerScoIris(
        trx,
        config,
        activity.id,
        await packageModel(trx, packageId, attempt.package_version),
      );
    return openSession(trx, attempt);
  });
  return playerView(db, config, opened, {
    courseTitle: course.title,
    courseSlug: course.slug,
    activityId: activity.id,
  });
}

/** The learner asks for a new attempt: allowed once the open one is completed (an ended one is new anyway). */
export async function startNewAttempt(
  db: Db,
  viewer: SessionUser,
  slug: string,
  activityId: string,
): Promise<void> {
  const { packageId, live } = await activityFor(db, viewer, slug, activityId);
  if (!live) throw new Forbidden('courses:errors.enrolFirst');
  const latest = await repo.latestAttempt(db, live.registration, packageId);
  if (!latest || latest.status === 'ended') return;
  if (!latest.completed_at) throw new Conflict('scorm:attempt.notAllowed');
  await repo.updateAttempt(db, latest.id, { status: 'ended', ended_at: new Date() });
}

/** A trainer's preview of a package of theirs (before it is in a course): tracked apart, never in reports. */
export async function previewPackage(
  db: Db,
  config: Config,
  viewer: SessionUser,
  packageId: string,
): Promise<PlayerView> {
  // The packages module answers who may see a package, so the preview and /packages never disagree.
  const pkg = await packageForEditor(db, viewer, packageId);
  if (pkg.format !== SCORM_KIND) throw new NotFound('package');
  const opened = await db.transaction(async (trx) => {
    const attempt = await newAttempt(
      trx,
      {
        user_id: viewer.id,
        registration: randomUUID(),
        enrolment_id: null,
        activity_id: null,
        package_id: pkg.id,
        preview: true,
      },
      1,
    );
    return openSession(trx, attempt);
  });
  return playerView(db, config, opened, { courseTitle: pkg.title, courseSlug: null, activityId: null });
}
