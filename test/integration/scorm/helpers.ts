import path from 'node:path';
import { importPackage } from '../../../src/modules/packages/index.js';
import { insertActivity } from '../../../src/modules/courses/activities.repo.js';
import { enrolLearners } from '../../../src/modules/courses/enrolments.repo.js';
import { openActivity } from '../../../src/modules/scorm/launch.service.js';
import type { AppContext } from '../../../src/platform/context.js';
import type { Db } from '../../../src/platform/db.js';
import type { SessionUser } from '../../../src/platform/http/types.js';
import { buildUser } from '../../factories.js';
import { buildCourse } from '../courses/fixtures.js';
import { tempFile, zipBuffer, type ZipEntry } from '../packages/helpers.js';

// Small SCORM packages made by the tests: their SCOs are plain pages with a script that calls the API the
// player offers (window.parent.API / API_1484_11) as real content does.

const NS12 = `xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"`;
const NS2004 = `xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
  xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3" xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3"
  xmlns:imsss="http://www.imsglobal.org/xsd/imsss"`;

/**
 * The generated SCO. It initializes on load and shows `cmi.entry` and the bookmark; "Next page" moves the
 * bookmark; "Finish" completes, passes and terminates. With `?save=unload` it writes only in `onunload`
 * (bookmark, suspend data, exit = suspend) and never calls Terminate itself: the player must finish for it.
 */
const SCO_JS = `(function () {
  var v2004 = !!window.parent.API_1484_11;
  var api = v2004 ? window.parent.API_1484_11 : window.parent.API;
  var call = function (a, b) { return api[a].apply(api, Array.prototype.slice.call(arguments, 1)); };
  var get = function (k) { return v2004 ? api.GetValue(k) : api.LMSGetValue(k); };
  var set = function (k, v) { return v2004 ? api.SetValue(k, v) : api.LMSSetValue(k, v); };
  var K = v2004
    ? { loc: 'cmi.location', exit: 'cmi.exit', entry: 'cmi.entry' }
    : { loc: 'cmi.core.lesson_location', exit: 'cmi.core.exit', entry: 'cmi.core.entry' };
  window.sco = { api: api, get: get, set: set, v2004: v2004 };
  call(v2004 ? 'Initialize' : 'LMSInitialize', '');
  var page = Number(get(K.loc)) || 0;
  document.getElementById('entry').textContent = get(K.entry);
  document.getElementById('page').textContent = String(page);
  document.getElementById('suspend').textContent = get('cmi.suspend_data');
  var saveInUnload = /save=unload/.test(location.search);
  document.getElementById('next').addEventListener('click', function () {
    page += 1;
    document.getElementById('page').textContent = String(page);
    if (saveInUnload) return;
    set(K.loc, String(page));
    set('cmi.suspend_data', 'page ' + page);
    if (v2004) set('cmi.completion_status', 'incomplete'); else set('cmi.core.lesson_status', 'incomplete');
  });
  document.getElementById('finish').addEventListener('click', function () {
    if (v2004) {
      set('cmi.completion_status', 'completed');
      set('cmi.success_status', 'passed');
      set('cmi.score.scaled', '0.9');
      set('cmi.exit', 'normal');
      set('cmi.session_time', 'PT1M5S');
      api.Terminate('');
    } else {
      set('cmi.core.lesson_status', 'passed');
      set('cmi.core.score.raw', '90');
      set('cmi.core.exit', '');
      set('cmi.core.session_time', '00:01:05');
      api.LMSFinish('');
    }
    document.getElementById('done').hidden = false;
  });
  if (saveInUnload)
    window.addEventListener('unload', function () {
      set(K.loc, 'unload-' + page);
      set('cmi.suspend_data', 'written in onunload at page ' + page);
      set(K.exit, 'suspend');
    });
})();`;

const scoHtml = (title: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>
<body><h1>${title}</h1>
<p>Entry: <span id="entry"></span> · Page: <span id="page"></span></p>
<p>Suspend data: <span id="suspend"></span></p>
<button type="button" id="next">Next page</button> <button type="button" id="finish">Finish</button>
<p id="done" hidden>Finished</p>
<script src="sco.js"></script></body></html>`;

export interface GeneratedOptions {
  version: '1.2' | '2004';
  /** Number of SCOs (items), each launching `sco.html` with its own parameters. */
  scos?: number;
  title?: string;
  /** Parameters of every item (e.g. `?save=unload`). */
  parameters?: string;
}

export function generatedManifest(o: GeneratedOptions): string {
  const n = o.scos ?? 1;
  const items = Array.from({ length: n }, (_, i) => i + 1)
    .map(
      (i) =>
        `<item identifier="sco_${i}" identifierref="res_sco"${o.parameters ? ` parameters="${o.parameters}"` : ''}><title>Lesson ${i}</title></item>`,
    )
    .join('\n      ');
  const title = o.title ?? `Generated SCORM ${o.version}`;
  if (o.version === '1.2')
    return `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="test.generated12" version="1" ${NS12}>
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="org"><organization identifier="org"><title>${title}</title>
      ${items}
  </organization></organizations>
  <resources><resource identifier="res_sco" type="webcontent" adlcp:scormtype="sco" href="sco.html">
    <file href="sco.html"/><file href="sco.js"/></resource></resources>
</manifest>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="test.generated2004" version="1" ${NS2004}>
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="org"><organization identifier="org"><title>${title}</title>
      ${items}
      <imsss:sequencing><imsss:controlMode choice="true" flow="true"/></imsss:sequencing>
  </organization></organizations>
  <resources><resource identifier="res_sco" type="webcontent" adlcp:scormType="sco" href="sco.html">
    <file href="sco.html"/><file href="sco.js"/></resource></resources>
</manifest>`;
}

export function generatedPackage(o: GeneratedOptions, extra: ZipEntry[] = []): Promise<Buffer> {
  return zipBuffer([
    { name: 'imsmanifest.xml', data: generatedManifest(o) },
    { name: 'sco.html', data: scoHtml(o.title ?? 'Generated lesson') },
    { name: 'sco.js', data: SCO_JS },
    ...extra,
  ]);
}

/** A package imported by a trainer and made the one activity of a published course. */
export async function scormCourseFromZip(
  ctx: Pick<AppContext, 'db' | 'config'>,
  zipPath: string,
  title?: string,
) {
  const { db, config } = ctx;
  const trainer = await buildUser(db, { roles: ['trainer'], name: 'Tess Trainer' });
  const imported = await importPackage(
    { db, config },
    { zipPath, fileName: path.basename(zipPath), actor: { id: trainer.id, roles: trainer.roles } },
  );
  const course = await buildCourse(db, { ownerId: trainer.id, title: title ?? imported.package.title });
  const activity = await insertActivity(db, {
    courseId: course.id,
    kind: 'scorm',
    title: imported.package.title,
    contentRef: { packageId: imported.package.id },
  });
  return { trainer, course, activity, pkg: imported.package, version: imported.version };
}

export async function generatedCourse(ctx: Pick<AppContext, 'db' | 'config'>, o: GeneratedOptions) {
  return scormCourseFromZip(ctx, tempFile(await generatedPackage(o), `generated-${o.version}.zip`));
}

/** A learner enrolled in the course, with the enrolment's registration. */
export async function enrolledLearner(db: Db, courseId: string, name = 'Lea Learner') {
  const learner = await buildUser(db, { roles: ['learner'], name });
  await enrolLearners(db, courseId, [learner.id], null);
  const e = (await db('enrolments').where({ course_id: courseId, user_id: learner.id }).first()) as {
    id: string;
    registration: string;
  };
  return { ...learner, enrolmentId: e.id, registration: e.registration };
}

export const sessionUser = (u: {
  id: string;
  email: string;
  name: string;
  roles: SessionUser['roles'];
}): SessionUser => ({
  id: u.id,
  email: u.email,
  name: u.name,
  roles: u.roles,
  language: null,
});

/** A launch as the LMS page makes it: the player's token and launch data. */
export const launchFor = (
  ctx: Pick<AppContext, 'db' | 'config'>,
  user: Parameters<typeof sessionUser>[0],
  course: { slug: string },
  activity: { id: string },
) => openActivity(ctx.db, ctx.config, sessionUser(user), course.slug, activity.id);

type Obj = Record<string, unknown>;
export interface StoredStatement {
  verb: string;
  object: string;
  statement: Obj;
}

/** SCORM statements of a registration in the order they were stored (verb as its last path segment). */
export async function statementsOf(db: Db, registration: string): Promise<StoredStatement[]> {
  const rows = (await db('statements')
    .where({ registration })
    .orderBy('stored')
    .orderBy('seq')
    .select('statement')) as {
    statement: Obj | string;
  }[];
  return rows
    .map((r) => {
      const s = (typeof r.statement === 'string' ? JSON.parse(r.statement) : r.statement) as Obj;
      return {
        verb: String((s.verb as Obj).id)
          .split('/')
          .pop()!,
        object: String((s.object as Obj).id),
        statement: s,
      };
    })
    .filter((x) => x.object.includes('/xapi/activities/scorm/'));
}
