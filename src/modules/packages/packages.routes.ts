import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../../platform/context.js';
import { parseForm, withFormErrors } from '../../platform/http/forms.js';
import { requireRole } from '../../platform/http/guards.js';
import { flash } from '../../platform/http/locals.js';
import { editableCourses } from '../courses/index.js';
import { contentSigner } from './content-access.js';
import { importPackage } from './import.js';
import * as schemas from './packages.schemas.js';
import * as service from './packages.service.js';
import { PackageRefused } from './report.js';
import { packageStorage } from './storage.js';
import { receivePackageUpload } from './upload.js';

/** The upload script asks for JSON on success (it navigates itself); a plain form gets a redirect. */
const isScripted = (req: Request) => req.get('X-Upload') === 'xhr';

/** /packages: trainers, coordinators and admins upload packages, read their reports and add them to courses. */
export function packagesRoutes(ctx: AppContext): Router {
  const r = Router();
  const { db, config } = ctx;
  const storage = packageStorage(config);
  r.use('/packages', requireRole('trainer', 'coordinator', 'admin'));

  const uploadLocals = (req: Request, pkg?: { id: string; title: string }) => ({
    title: pkg
      ? req.t('packages:upload.newVersionTitle', { title: pkg.title })
      : req.t('packages:upload.title'),
    pkg: pkg ?? null,
    maxBytes: config.packages.maxBytes,
    maxMiB: Math.floor(config.packages.maxBytes / 1024 ** 2),
  });

  /** Streams the upload, imports it, and answers: redirect (or JSON for the script), or the refusal report. */
  async function upload(req: Request, res: Response, packageId?: string) {
    const received = await receivePackageUpload(req, storage, config.packages.maxBytes);
    let result;
    let refusal: PackageRefused | null = null;
    try {
      result = await importPackage(ctx, {
        zipPath: received.path,
        fileName: received.fileName,
        actor: req.user!,
        packageId,
      });
    } catch (err) {
      if (!(err instanceof PackageRefused)) throw err;
      refusal = err;
    } finally {
      // Removed before any answer goes out: on every path, nothing of the upload stays behind.
      await storage.discard(received.path);
    }
    if (refusal || !result)
      return res.status(422).render('packages/refused', {
        title: req.t('packages:refused.title'),
        report: refusal!.report,
        backTo: packageId ? `/packages/${packageId}` : '/packages/new',
      });
    const location = `/packages/${result.package.id}`;
    flash(req, 'success', packageId ? 'packages:upload.versionDone' : 'packages:upload.done', {
      title: result.package.title,
      version: result.version.version,
    });
    if (isScripted(req)) return res.json({ location });
    res.redirect(303, location);
  }

  r.get('/packages', async (req, res) => {
    const { page } = schemas.PageQuery.parse(req.query);
    res.render('packages/index', {
      title: req.t('packages:list.title'),
      ...(await service.packageList(db, req.user!, page)),
      page,
    });
  });

  r.get('/packages/new', (req, res) => res.render('packages/upload', uploadLocals(req)));
  r.post('/packages', (req, res) => upload(req, res));

  const showLocals = async (req: Request, id: string, version?: number) => {
    const view = await service.packagePage(db, req.user!, id, version);
    return {
      title: view.pkg.title,
      ...view,
      courses: await editableCourses(db, req.user!),
      values: view.pkg,
      isLatest: view.version.version === view.pkg.latest_version,
    };
  };

  r.get('/packages/:id', async (req, res) => {
    res.render('packages/show', await showLocals(req, req.params.id));
  });

  r.get('/packages/:id/versions/new', async (req, res) => {
    const pkg = await service.packageForEditor(db, req.user!, req.params.id);
    res.render('packages/upload', uploadLocals(req, pkg));
  });
  r.get('/packages/:id/versions/:version', async (req, res) => {
    const version = Number(req.params.version);
    if (!Number.isInteger(version) || version < 1) return res.redirect(303, `/packages/${req.params.id}`);
    res.render('packages/show', await showLocals(req, req.params.id, version));
  });

  r.post('/packages/:id/versions', async (req, res) => {
    const pkg = await service.packageForEditor(db, req.user!, req.params.id);
    await upload(req, res, pkg.id);
  });

  r.post('/packages/:id/details', async (req, res) => {
    const locals = await showLocals(req, req.params.id);
    await withFormErrors(res, 'packages/show', { ...locals, values: req.body }, async () => {
      await service.updateDetails(
        db,
        req.user!,
        req.params.id,
        parseForm(schemas.PackageDetailsForm, req.body),
      );
      flash(req, 'success', 'packages:details.saved');
      res.redirect(303, `/packages/${req.params.id}`);
    });
  });

  r.post('/packages/:id/course', async (req, res) => {
    const locals = await showLocals(req, req.params.id);
    await withFormErrors(res, 'packages/show', locals, async () => {
      const form = parseForm(schemas.AddToCourseForm, req.body);
      const { course } = await service.addToCourse(ctx, req.user!, req.params.id, form, req.lang);
      flash(req, 'success', 'packages:course.added', { title: course.title });
      res.redirect(303, `/teach/courses/${course.id}`);
    });
  });

  /** The raw launch file of a version, on the content origin (the players add real previews). */
  r.get('/packages/:id/versions/:version/files', async (req, res) => {
    const { pkg, version } = await service.packagePage(
      db,
      req.user!,
      req.params.id,
      Number(req.params.version) || undefined,
    );
    const launch = version.report.launchFiles[0]?.path;
    if (!launch) return res.redirect(303, `/packages/${pkg.id}`);
    res.redirect(303, (await contentSigner(ctx)).url(pkg.id, version.version, launch, 15 * 60));
  });

  return r;
}
