import type { Config } from '../../platform/config.js';
import type { Db } from '../../platform/db.js';
import { NotFound } from '../../platform/errors.js';
import type { SessionUser } from '../../platform/http/types.js';
import { isLanguage, type Language } from '../../platform/i18n.js';
import { isUuid } from '../accounts/index.js';
import { addContentActivity, addContentActivityToNewCourse } from '../courses/index.js';
import { packageFormat, type PackageActor } from './formats.js';
import * as policy from './packages.policy.js';
import * as repo from './packages.repo.js';
import type { AddToCourseForm, PackageDetailsForm } from './packages.schemas.js';

export const PACKAGES_PAGE_SIZE = 25;

export async function packageList(db: Db, actor: PackageActor, page: number) {
  const { packages, total } = await repo.listPackages(db, {
    ownerId: policy.maySeeAllPackages(actor) ? undefined : actor.id,
    limit: PACKAGES_PAGE_SIZE,
    offset: (page - 1) * PACKAGES_PAGE_SIZE,
  });
  return { packages, total, pages: Math.max(1, Math.ceil(total / PACKAGES_PAGE_SIZE)) };
}

/** A package as its editors see it; anyone else gets 404 as for a package that does not exist. */
export async function packageForEditor(db: Db, actor: PackageActor, id: string): Promise<repo.PackageRow> {
  const pkg = isUuid(id) ? await repo.findPackage(db, id) : undefined;
  if (!pkg || !policy.mayEditPackage(actor, pkg)) throw new NotFound('package');
  return pkg;
}

export async function packagePage(db: Db, actor: PackageActor, id: string, version?: number) {
  const pkg = await packageForEditor(db, actor, id);
  const shown = await repo.findVersion(db, pkg.id, version ?? pkg.latest_version);
  if (!shown) throw new NotFound('package');
  return { pkg, version: shown, versions: await repo.listVersions(db, pkg.id) };
}

export async function updateDetails(db: Db, actor: PackageActor, id: string, form: PackageDetailsForm) {
  const pkg = await packageForEditor(db, actor, id);
  await repo.updatePackage(db, pkg.id, {
    title: form.title,
    description: form.description,
    language: form.language ?? null,
  });
  return pkg;
}

/** A course language from the package's BCP 47 tag (`de-CH` → `de`), else the user's. */
const courseLanguage = (tag: string | null, fallback: Language): Language => {
  const primary = tag?.split('-')[0]?.toLowerCase();
  return isLanguage(primary) ? primary : fallback;
};

/**
 * The package becomes an activity of a new draft course, or of a course the user may edit; in the same
 * transaction its format registers what progress tracks of it.
 */
export async function addToCourse(
  { db, config }: { db: Db; config: Config },
  actor: SessionUser,
  id: string,
  form: AddToCourseForm,
  lang: Language,
) {
  const pkg = await packageForEditor(db, actor, id);
  const activity = { kind: pkg.format, title: pkg.title, contentRef: { packageId: pkg.id } };
  return db.transaction(async (trx) => {
    const added =
      form.target === 'existing'
        ? await addContentActivity(trx, actor, form.course_id, activity)
        : await addContentActivityToNewCourse(
            trx,
            actor,
            { title: pkg.title, description: pkg.description, language: courseLanguage(pkg.language, lang) },
            activity,
          );
    await packageFormat(pkg.format)?.addedToCourse?.(
      trx,
      { activityId: added.activity.id, packageId: pkg.id, version: pkg.latest_version },
      config,
    );
    return added;
  });
}

/** The version a player serves: the one an attempt started on, or the latest for a new attempt. */
export async function versionForAttempt(db: Db, packageId: string, version?: number | null) {
  const pkg = isUuid(packageId) ? await repo.findPackage(db, packageId) : undefined;
  if (!pkg) return undefined;
  return repo.findVersion(db, pkg.id, version ?? pkg.latest_version);
}

export const findPackage = (db: Db, id: string) =>
  isUuid(id) ? repo.findPackage(db, id) : Promise.resolve(undefined);
