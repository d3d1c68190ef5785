import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { csrfFrom, postForm, signIn, startTestApp, type Agent, type TestApp } from '../../helpers/http.js';
import { buildUser } from '../../factories.js';
import { buildCourse } from '../../integration/courses/fixtures.js';
import {
  listFiles,
  minimalScorm12,
  packageRowCounts,
  zipBuffer,
} from '../../integration/packages/helpers.js';

describe('packages: upload page', function () {
  this.timeout(60_000);
  let t: TestApp;
  let trainer: Agent;
  let trainerId: string;

  before(async () => {
    t = await startTestApp({ MAX_PACKAGE_BYTES: String(200 * 1024) });
    const u = await buildUser(t.ctx.db, { roles: ['trainer'] });
    trainerId = u.id;
    trainer = await signIn(t.app, u.email, u.password);
  });
  after(async () => {
    await t.close();
    fs.rmSync(t.ctx.config.contentDir, { recursive: true, force: true });
  });

  const uploadsLeft = () => listFiles(path.join(t.ctx.config.contentDir, '.uploads'));
  const upload = async (agent: Agent, bytes: Buffer, name = 'course.zip', target = '/packages') => {
    const token = await csrfFrom(agent, '/packages/new');
    return agent.post(`${target}?_csrf=${encodeURIComponent(token)}`).attach('package', bytes, name);
  };

  it('is for trainers, coordinators and admins only', async () => {
    const learner = await buildUser(t.ctx.db, { roles: ['learner'] });
    const agent = await signIn(t.app, learner.email, learner.password);
    assert.equal((await agent.get('/packages/new')).status, 403);
    assert.equal((await agent.get('/packages')).status, 403);
    const res = await agent.post('/packages').attach('package', await minimalScorm12(), 'x.zip');
    assert.equal(res.status, 403);
  });

  it('refuses a multipart post without the CSRF token, keeping nothing', async () => {
    await trainer.get('/packages/new');
    const before = await packageRowCounts(t.ctx.db);
    const res = await trainer.post('/packages').attach('package', await minimalScorm12(), 'x.zip');
    assert.equal(res.status, 403);
    assert.deepEqual(await packageRowCounts(t.ctx.db), before);
    assert.deepEqual(uploadsLeft(), []);
  });

  it('shows the upload form with a progress bar that works without script too', async () => {
    const res = await trainer.get('/packages/new');
    assert.equal(res.status, 200);
    assert.match(res.text, /enctype="multipart\/form-data"/);
    assert.match(res.text, /action="\/packages\?_csrf=[^"]+"/);
    assert.match(res.text, /<progress id="upload-progress"/);
    assert.match(res.text, /src="\/static\/js\/upload.js"/);
  });

  it('imports a plain form upload and shows the report on the package page', async () => {
    const res = await upload(trainer, await minimalScorm12({ title: 'Uploaded by form' }));
    assert.equal(res.status, 303);
    const location = res.headers.location as string;
    assert.match(location, /^\/packages\/[0-9a-f-]{36}$/);
    const page = await trainer.get(location);
    assert.equal(page.status, 200);
    assert.match(page.text, /Uploaded by form/);
    assert.match(page.text, /The only lesson/);
    assert.match(page.text, /index\.html\?page=1/);
    assert.match(page.text, /SCORM 1\.2/);
    assert.deepEqual(uploadsLeft(), []);
  });

  it('answers the upload script with JSON, the token in a header', async () => {
    const token = await csrfFrom(trainer, '/packages/new');
    const res = await trainer
      .post('/packages')
      .set('X-CSRF-Token', token)
      .set('X-Upload', 'xhr')
      .attach('package', await minimalScorm12(), 'scripted.zip');
    assert.equal(res.status, 200);
    assert.match(res.body.location, /^\/packages\/[0-9a-f-]{36}$/);
  });

  it('shows the refusal report in the reader’s language, keeping nothing', async () => {
    const before = await packageRowCounts(t.ctx.db);
    const res = await upload(trainer, await zipBuffer([{ name: 'index.html', data: 'x' }]));
    assert.equal(res.status, 422);
    assert.match(
      res.text,
      /not a SCORM package \(no imsmanifest\.xml, cmi5\.xml or h5p\.json found at the root\)/,
    );
    assert.match(res.text, /Nothing of this package was kept/);
    assert.deepEqual(await packageRowCounts(t.ctx.db), before);
    assert.deepEqual(uploadsLeft(), []);
    const de = await buildUser(t.ctx.db, { roles: ['trainer'], language: 'de' });
    const agent = await signIn(t.app, de.email, de.password);
    const german = await upload(agent, Buffer.from('this is no zip'));
    assert.equal(german.status, 422);
    assert.match(german.text, /Diese Datei ist keine ZIP-Datei/);
  });

  it('refuses a file over MAX_PACKAGE_BYTES with 413 while streaming, removing the temp file', async () => {
    const big = await minimalScorm12({
      extra: [
        {
          name: 'media/noise.bin',
          data: Buffer.from(Array.from({ length: 300 * 1024 }, (_, i) => (i * 7919) % 251)),
          compress: false,
        },
      ],
    });
    const before = await packageRowCounts(t.ctx.db);
    const res = await upload(trainer, big);
    assert.equal(res.status, 413);
    assert.match(res.text, /The file is larger than the 0 MiB allowed/);
    assert.deepEqual(await packageRowCounts(t.ctx.db), before);
    assert.deepEqual(uploadsLeft(), []);
  });

  it('uploads a new version, edits the details and adds the package to a new and an existing course', async () => {
    const first = await upload(trainer, await minimalScorm12({ title: 'Course material' }));
    const id = (first.headers.location as string).split('/').pop()!;
    const token = await csrfFrom(trainer, `/packages/${id}/versions/new`);
    const second = await trainer
      .post(`/packages/${id}/versions?_csrf=${encodeURIComponent(token)}`)
      .attach('package', await minimalScorm12({ title: 'Course material v2' }), 'v2.zip');
    assert.equal(second.status, 303);
    const versions = await t.ctx.db('package_versions').where({ package_id: id }).orderBy('version');
    assert.deepEqual(
      versions.map((v: { version: number }) => v.version),
      [1, 2],
    );

    const csrf = await csrfFrom(trainer, `/packages/${id}`);
    const bad = await trainer
      .post(`/packages/${id}/details`)
      .type('form')
      .send({ _csrf: csrf, title: '', language: 'english!' });
    assert.equal(bad.status, 422);
    const saved = await trainer
      .post(`/packages/${id}/details`)
      .type('form')
      .send({ _csrf: csrf, title: 'Golf for beginners', description: 'Rules and etiquette', language: 'de' });
    assert.equal(saved.status, 303);

    const made = await trainer
      .post(`/packages/${id}/course`)
      .type('form')
      .send({ _csrf: csrf, target: 'new' });
    assert.equal(made.status, 303);
    const courseId = (made.headers.location as string).split('/').pop()!;
    const course = await t.ctx.db('courses').where({ id: courseId }).first();
    assert.equal(course.title, 'Golf for beginners');
    assert.equal(course.language, 'de');
    assert.equal(course.status, 'draft');
    const activity = await t.ctx.db('activities').where({ course_id: courseId }).first();
    assert.equal(activity.kind, 'scorm');
    assert.deepEqual(activity.content_ref, { packageId: id });

    const own = await buildCourse(t.ctx.db, { ownerId: trainerId, status: 'draft' });
    const added = await trainer
      .post(`/packages/${id}/course`)
      .type('form')
      .send({ _csrf: csrf, target: 'existing', course_id: own.id });
    assert.equal(added.status, 303);
    assert.equal((await t.ctx.db('activities').where({ course_id: own.id, kind: 'scorm' })).length, 1);

    const someone = await buildUser(t.ctx.db, { roles: ['trainer'] });
    const theirs = await buildCourse(t.ctx.db, { ownerId: someone.id });
    const refused = await trainer
      .post(`/packages/${id}/course`)
      .type('form')
      .send({ _csrf: csrf, target: 'existing', course_id: theirs.id });
    assert.equal(refused.status, 404);
    assert.equal((await t.ctx.db('activities').where({ course_id: theirs.id })).length, 0);
  });

  it('hides another trainer’s package (404) on every route that takes its id, changing nothing', async () => {
    const first = await upload(trainer, await minimalScorm12({ title: 'Mine alone' }));
    const id = (first.headers.location as string).split('/').pop()!;
    const other = await buildUser(t.ctx.db, { roles: ['trainer'] });
    const agent = await signIn(t.app, other.email, other.password);
    for (const path of ['', '/versions/new', '/versions/1', '/versions/1/files'])
      assert.equal((await agent.get(`/packages/${id}${path}`)).status, 404, path);

    const before = await packageRowCounts(t.ctx.db);
    const courses = (await t.ctx.db('courses')).length;
    const details = { title: 'Taken over', language: 'en' };
    for (const [path, fields] of [
      ['/details', details],
      ['/course', { target: 'new' }],
    ] as const)
      assert.equal(
        (await postForm(agent, '/packages/new', `/packages/${id}${path}`, fields)).status,
        404,
        path,
      );
    const version = await upload(agent, await minimalScorm12(), 'v2.zip', `/packages/${id}/versions`);
    assert.equal(version.status, 404);
    assert.deepEqual(await packageRowCounts(t.ctx.db), before);
    assert.equal((await t.ctx.db('courses')).length, courses);
    assert.equal((await t.ctx.db('packages').where({ id }).first()).title, 'Mine alone');
    assert.deepEqual(uploadsLeft(), []);

    const coordinator = await buildUser(t.ctx.db, { roles: ['coordinator'] });
    const c = await signIn(t.app, coordinator.email, coordinator.password);
    assert.equal((await c.get(`/packages/${id}`)).status, 200);
  });
});
