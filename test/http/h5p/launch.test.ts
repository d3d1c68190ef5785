import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import supertest from 'supertest';
import type { Express } from 'express';
import { contentSigner, createContentApp, importPackage } from '../../../src/modules/packages/index.js';
import { insertActivity } from '../../../src/modules/courses/activities.repo.js';
import { enrolLearners } from '../../../src/modules/courses/enrolments.repo.js';
import { startLaunch, tokenHash } from '../../../src/modules/h5p/launch.service.js';
import { activityIri } from '../../../src/modules/h5p/index.js';
import { LIBRARIES_SCOPE } from '../../../src/modules/h5p/player.routes.js';
import { startTestApp, type TestApp } from '../../helpers/http.js';
import { buildUser } from '../../factories.js';
import { buildCourse } from '../../integration/courses/fixtures.js';
import { h5pPackage } from '../../integration/h5p/helpers.js';
import { tempFile } from '../../integration/packages/helpers.js';

const ANSWERED = 'http://adlnet.gov/expapi/verbs/answered';

// The LMS endpoints the H5P player (on the content origin) calls with its launch token: statements and user data.
describe('h5p: the launch endpoints (HTTP)', function () {
  this.timeout(120_000);
  let t: TestApp;
  let origin: string;
  let iri: string;
  let registration: string;
  let learnerId: string;
  let token: string;
  let previewToken: string;
  let newPreview: () => Promise<string>;

  before(async () => {
    t = await startTestApp();
    const { db, config } = t.ctx;
    origin = config.contentOrigin;
    const admin = await buildUser(db, { roles: ['admin'], name: 'Ada Admin' });
    const course = await buildCourse(db, { ownerId: admin.id, title: 'H5P over HTTP' });
    const imported = await importPackage(
      { db, config },
      { zipPath: tempFile(await h5pPackage(), 'hello.h5p'), fileName: 'hello.h5p', actor: admin },
    );
    const activity = await insertActivity(db, {
      courseId: course.id,
      kind: 'h5p',
      title: imported.package.title,
      contentRef: { packageId: imported.package.id },
    });
    const learner = await buildUser(db, { roles: ['learner'], name: 'Lena Learner' });
    learnerId = learner.id;
    await enrolLearners(db, course.id, [learner.id], admin.id);
    const enrolment = await db('enrolments').where({ course_id: course.id, user_id: learner.id }).first();
    registration = enrolment.registration;
    iri = activityIri(config.publicUrl, activity.id);
    const courseRow = await db('courses').where({ id: course.id }).first();
    const launch = await startLaunch(t.ctx, {
      course: courseRow,
      activity,
      enrolment,
      viewer: { ...learner, language: null },
      lang: 'en',
    });
    token = launch!.token;
    const preview = await startLaunch(t.ctx, {
      course: courseRow,
      activity,
      enrolment: null,
      viewer: { ...admin, language: null },
      lang: 'en',
    });
    previewToken = preview!.token;
    newPreview = async () => {
      const launch = await startLaunch(t.ctx, {
        course: courseRow,
        activity,
        enrolment: null,
        viewer: { ...admin, language: null },
        lang: 'en',
      });
      return launch!.token;
    };
  });
  after(() => t.close());

  const post = (path: string, body: string, type = 'text/plain') =>
    supertest(t.app).post(`/h5p/launches/${path}`).set('Origin', origin).type(type).send(body);

  const answered = (objectId: string, extra: Record<string, unknown> = {}) => ({
    actor: { mbox: 'mailto:someone-else@example.org' },
    verb: { id: ANSWERED, display: { 'en-US': 'answered' } },
    object: { objectType: 'Activity', id: objectId },
    result: { success: true, score: { raw: 1, min: 0, max: 1, scaled: 1 } },
    ...extra,
  });

  it('answers the player only: other origins get 403, a preflight gets the CORS headers', async () => {
    const other = await supertest(t.app)
      .post(`/h5p/launches/${token}/statements`)
      .set('Origin', 'https://evil.example')
      .type('text/plain')
      .send(JSON.stringify(answered(iri)));
    assert.equal(other.status, 403);
    const pre = await supertest(t.app).options(`/h5p/launches/${token}/statements`).set('Origin', origin);
    assert.equal(pre.status, 204);
    assert.equal(pre.headers['access-control-allow-origin'], origin);
    assert.match(String(pre.headers['access-control-allow-methods']), /POST/);
  });

  it('refuses unknown, malformed and expired tokens with 401 and a message', async () => {
    for (const bad of ['A'.repeat(43), 'not-a-token', previewToken.slice(0, -1) + '!']) {
      const res = await post(`${bad}/statements`, JSON.stringify(answered(iri)));
      assert.equal(res.status, 401, bad);
      assert.deepEqual(res.body, {
        success: false,
        message: 'This launch has expired: reload the page to continue.',
      });
    }
    const { db } = t.ctx;
    const [expired] = await db('h5p_launches')
      .where({ preview: true })
      .update({ expires_at: new Date(0) }, ['id']);
    assert.ok(expired);
    assert.equal((await post(`${previewToken}/statements`, JSON.stringify(answered(iri)))).status, 401);
  });

  it('stores statements as the learner, under the content IRI and the registration; drops foreign objects', async () => {
    const { db } = t.ctx;
    const before = await db('statements').where({ registration }).count({ n: '*' }).first();
    const res = await post(
      `${token}/statements`,
      JSON.stringify([
        answered(`${iri}?subContentId=abc-1`),
        answered('https://elsewhere.example/activity'),
        answered(iri, {
          context: { registration: randomUUID(), instructor: { mbox: 'mailto:i@example.org' } },
        }),
      ]),
    );
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { success: true, stored: 2, dropped: 1 });
    const rows = await db('statements').where({ registration }).orderBy('seq');
    assert.equal(rows.length, Number(before!.n) + 2);
    for (const r of rows.slice(-2)) {
      const s = typeof r.statement === 'string' ? JSON.parse(r.statement) : r.statement;
      assert.deepEqual(s.actor.account, { homePage: t.ctx.config.publicUrl, name: learnerId });
      assert.equal(s.context.registration, registration);
      assert.equal(s.context.instructor, undefined);
      assert.ok(s.object.id.startsWith(iri));
    }
  });

  it('keeps the good statements of a batch when the LRS refuses one, and says how many it dropped', async () => {
    const res = await post(
      `${token}/statements`,
      JSON.stringify([answered(iri), answered(iri, { result: { score: { scaled: 7 } } })]),
    );
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { success: true, stored: 1, dropped: 1 });
  });

  it('refuses a body that is not JSON, and more than 100 statements at once', async () => {
    const bad = await post(`${token}/statements`, '{not json');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.message, 'The body must be a JSON statement or array of statements.');
    const many = await post(
      `${token}/statements`,
      JSON.stringify(Array.from({ length: 101 }, () => answered(iri))),
    );
    assert.equal(many.status, 413);
  });

  it('saves, reads back and deletes the user data of the content as a State document', async () => {
    const path = `${token}/user-data/state/0`;
    const empty = await supertest(t.app).get(`/h5p/launches/${path}`).set('Origin', origin);
    assert.deepEqual(empty.body, { success: true, data: false });
    const state = JSON.stringify({ answers: [1, 2], progress: 2 });
    const saved = await post(path, new URLSearchParams({ data: state }).toString(), 'form');
    assert.deepEqual(saved.body, { success: true });
    const read = await supertest(t.app).get(`/h5p/launches/${path}`).set('Origin', origin);
    assert.deepEqual(read.body, { success: true, data: state });
    const doc = await t.ctx.db('lrs_documents').where({ doc_id: 'h5p:state:0', registration }).first();
    assert.ok(doc, 'kept in the LRS State resource');
    await post(path, 'data=0', 'form');
    const gone = await supertest(t.app).get(`/h5p/launches/${path}`).set('Origin', origin);
    assert.deepEqual(gone.body, { success: true, data: false });
  });

  it('refuses user data that is missing, not JSON, too large, or under odd names', async () => {
    const path = `${token}/user-data/state/0`;
    assert.equal((await post(path, 'other=1', 'form')).status, 400);
    const notJson = await post(path, 'data=%7Bnope', 'form');
    assert.equal(notJson.status, 400);
    assert.equal(notJson.body.message, 'The user data must be JSON.');
    const big = JSON.stringify({ s: 'x'.repeat(1024 * 1024) });
    assert.equal((await post(path, new URLSearchParams({ data: big }).toString(), 'form')).status, 413);
    const odd = await supertest(t.app).get(`/h5p/launches/${token}/user-data/a.b/0`).set('Origin', origin);
    assert.equal(odd.status, 404);
  });

  describe('on the content origin', () => {
    let content: Express;
    before(async () => {
      content = await createContentApp({ config: t.ctx.config, db: t.ctx.db, logger: t.ctx.logger });
    });
    const get = (path: string) => supertest(content).get(path);

    it('serves the player page for a live launch only: unknown, malformed and expired tokens get 410', async () => {
      const live = await newPreview();
      assert.equal((await get(`/h5p/play/${live}`)).status, 200);
      for (const bad of ['garbage', 'A'.repeat(43), live.slice(0, -1) + (live.endsWith('A') ? 'B' : 'A')]) {
        const res = await get(`/h5p/play/${bad}`);
        assert.equal(res.status, 410, bad);
        assert.match(res.text, /This link has expired\. Go back to the course/, bad);
        assert.doesNotMatch(res.text, /id="h5p-config"/, bad);
      }
      const expiring = await newPreview();
      assert.equal((await get(`/h5p/play/${expiring}`)).status, 200);
      await t.ctx
        .db('h5p_launches')
        .where({ token_hash: tokenHash(expiring) })
        .update({ expires_at: new Date(0) });
      assert.equal((await get(`/h5p/play/${expiring}`)).status, 410);
    });

    it('serves the shared libraries under a valid signed token only: bad, foreign and expired ones get 403', async () => {
      const file = '/WCH.Hello-1.0/library.json';
      const signer = await contentSigner(t.ctx);
      const now = Math.floor(Date.now() / 1000);
      assert.equal(
        (await get(`/h5p/libraries/${signer.token(LIBRARIES_SCOPE, 1, now + 60)}${file}`)).status,
        200,
      );
      const forged = signer.token(LIBRARIES_SCOPE, 1, now + 60).replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
      const foreign = signer.token(randomUUID(), 1, now + 60);
      const expired = signer.token(LIBRARIES_SCOPE, 1, now - 1);
      for (const bad of ['garbage', forged, foreign, expired]) {
        const res = await get(`/h5p/libraries/${bad}${file}`);
        assert.equal(res.status, 403, bad);
        assert.match(res.text, /This link has expired or is not valid\./);
      }
    });
  });
});
