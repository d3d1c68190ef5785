import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { buildUser, DEFAULT_PASSWORD } from '../../factories.js';
import supertest from 'supertest';
import { postForm, signIn, startTestApp, type Agent, type TestApp, binaryBody } from '../../helpers/http.js';
import { insertGroup, insertMember } from '../../../src/modules/groups/index.js';
import { enrol, send, trackedCourse } from '../../integration/progress/helpers.js';

describe('reports', function () {
  this.timeout(60_000);
  let t: TestApp;
  let course: Awaited<ReturnType<typeof trackedCourse>>['course'];
  let learnerId: string;
  let otherLearnerId: string;
  const agents: Record<string, Agent> = {};

  before(async function () {
    this.timeout(120_000);
    t = await startTestApp();
    const { db } = t.ctx;
    const users = {
      coordinator: await buildUser(db, { roles: ['coordinator'] }),
      owner: await buildUser(db, { roles: ['trainer'] }),
      trainer: await buildUser(db, { roles: ['trainer'] }),
      learner: await buildUser(db, { name: 'Ada Lovelace' }),
      other: await buildUser(db, { name: 'Grace Hopper' }),
    };
    learnerId = users.learner.id;
    otherLearnerId = users.other.id;
    const tc = await trackedCourse(db, users.owner.id, 2, 'Etiquette at work');
    course = tc.course;
    const e1 = await enrol(db, course.id, users.learner.id);
    const e2 = await enrol(db, course.id, users.other.id);
    const [a1, a2] = tc.activities as [(typeof tc.activities)[0], (typeof tc.activities)[0]];
    await send(db, [
      {
        registration: e1.registration,
        userId: learnerId,
        verb: 'initialized',
        iri: a1.iri,
        name: 'Etiquette',
      },
      {
        registration: e1.registration,
        userId: learnerId,
        verb: 'passed',
        iri: a1.iri,
        name: 'Etiquette',
        result: { score: { scaled: 0.85 }, success: true },
      },
      {
        registration: e1.registration,
        userId: learnerId,
        verb: 'terminated',
        iri: a1.iri,
        result: { duration: 'PT12M' },
      },
      {
        registration: e1.registration,
        userId: learnerId,
        verb: 'completed',
        iri: a2.iri,
        result: { duration: 'PT3M' },
      },
      { registration: e2.registration, userId: otherLearnerId, verb: 'initialized', iri: a1.iri },
    ]);
    const group = await insertGroup(db, {
      name: 'Cohort A',
      kind: 'cohort',
      description: '',
      managedBy: null,
    });
    await insertMember(db, { groupId: group.id, userId: learnerId, addedBy: null });
    for (const [k, u] of Object.entries(users)) agents[k] = await signIn(t.app, u.email, DEFAULT_PASSWORD);
  });
  after(() => t.close());

  it('shows the course report with figures, charts and the learner list', async () => {
    const res = await agents.owner!.get(`/reports/courses/${course.id}`);
    assert.equal(res.status, 200);
    assert.match(res.text, /Ada Lovelace/);
    assert.match(res.text, /Grace Hopper/);
    assert.match(res.text, /<svg class="chart"[^>]*role="img"/);
    assert.match(res.text, /Completion funnel/);
    assert.match(res.text, /85%/);
    const coordinator = await agents.coordinator!.get(`/reports/courses/${course.id}?sort=score&dir=desc`);
    assert.equal(coordinator.status, 200);
    assert.ok(coordinator.text.indexOf('Ada Lovelace') < coordinator.text.indexOf('Grace Hopper'));
  });

  it('filters by group', async () => {
    const groups = await t.ctx.db('groups').where({ name: 'Cohort A' }).first();
    const res = await agents.coordinator!.get(`/reports/courses/${course.id}?group=${groups.id}`);
    assert.match(res.text, /Ada Lovelace/);
    assert.doesNotMatch(res.text, /Grace Hopper/);
  });

  it('drills down into a learner with statuses, attempts and a plain-words timeline', async () => {
    const res = await agents.owner!.get(`/reports/courses/${course.id}/learners/${learnerId}`);
    assert.equal(res.status, 200);
    assert.match(res.text, /passed “Module 1” with 85%/);
    assert.match(res.text, /Every attempt/);
    const de = await agents
      .owner!.get(`/reports/courses/${course.id}/learners/${learnerId}`)
      .set('Accept-Language', 'de');
    assert.equal(de.status, 200);
  });

  it('exports CSV and XLSX with a header row in the viewer’s language', async () => {
    const csv = await agents.owner!.get(`/reports/courses/${course.id}/export/learners.csv`);
    assert.equal(csv.status, 200);
    assert.match(String(csv.headers['content-type']), /text\/csv/);
    const lines = csv.text
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    assert.equal(
      lines[0],
      'Learner,Email,Status,Progress (%),Score (%),Time spent (minutes),Attempts,Last activity,Completed on,Enrolled on',
    );
    assert.equal(lines.length, 3);
    // attempts: one per module touched (Etiquette initialized once; the second module completed without a session)
    assert.match(csv.text, /Ada Lovelace,[^,]+,Passed,100,85,15,2,/);
    const xlsx = await agents
      .owner!.get(`/reports/courses/${course.id}/export/summary.xlsx`)
      .buffer(true)
      .parse(binaryBody);
    assert.equal(xlsx.status, 200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Uint8Array.from(xlsx.body as Buffer).buffer);
    const ws = wb.worksheets[0]!;
    assert.equal(ws.getRow(1).getCell(1).value, 'Measure');
    assert.equal(ws.getRow(2).getCell(2).value, 2);
    for (const table of ['summary', 'activities', 'funnel', 'scores', 'days', 'learners'])
      assert.equal(
        (await agents.coordinator!.get(`/reports/courses/${course.id}/export/${table}.csv`)).status,
        200,
        table,
      );
    for (const table of ['activities', 'attempts', 'timeline']) {
      const r = await agents.learner!.get(
        `/reports/courses/${course.id}/learners/${learnerId}/export/${table}.csv`,
      );
      assert.equal(r.status, 200, table);
    }
    const timeline = await agents.learner!.get(
      `/reports/courses/${course.id}/learners/${learnerId}/export/timeline.csv`,
    );
    assert.match(timeline.text, /passed “Module 1” with 85%/);
  });

  it('lets learners see their own detail, and nothing about anyone else', async () => {
    const mine = await agents.learner!.get('/my-progress').redirects(1);
    assert.equal(mine.status, 200);
    assert.match(mine.text, /Etiquette at work/);
    assert.equal(
      (await agents.learner!.get(`/reports/courses/${course.id}/learners/${learnerId}`)).status,
      200,
    );
    assert.equal((await agents.learner!.get('/reports')).status, 303);
  });

  it('refuses every report URL to the wrong user', async () => {
    const c = `/reports/courses/${course.id}`;
    const ownLearner = `${c}/learners/${learnerId}`;
    const urls = [
      c,
      `${c}/rule`,
      ...['summary', 'activities', 'funnel', 'scores', 'days', 'learners'].flatMap((x) => [
        `${c}/export/${x}.csv`,
        `${c}/export/${x}.xlsx`,
      ]),
      ownLearner,
      ...['activities', 'attempts', 'timeline'].map((x) => `${ownLearner}/export/${x}.csv`),
      `/reports/learners/${learnerId}`,
      `/reports/learners/${learnerId}/export/courses.csv`,
    ];
    // another trainer (not the owner) and another learner see none of these
    for (const who of ['trainer', 'other'] as const)
      for (const url of urls) assert.equal((await agents[who]!.get(url)).status, 404, `${who} ${url}`);
    // the learner sees only their own detail, not the course report
    for (const url of urls.filter((u) => !u.startsWith(ownLearner) && !u.startsWith('/reports/learners/')))
      assert.equal((await agents.learner!.get(url)).status, 404, `learner ${url}`);
    // a learner may not read another learner's detail in the same course
    assert.equal((await agents.learner!.get(`${c}/learners/${otherLearnerId}`)).status, 404);
    assert.equal((await agents.learner!.get(`/reports/learners/${otherLearnerId}`)).status, 404);
    // coordinators see every one; anonymous visitors are sent to sign in
    for (const url of urls)
      assert.equal((await agents.coordinator!.get(url)).status, 200, `coordinator ${url}`);
    for (const url of urls) assert.equal((await supertest(t.app).get(url)).status, 303, `anonymous ${url}`);
    // the trainer who owns the course does not see the learner's other courses' detail
    assert.equal((await agents.owner!.get(`/reports/learners/${learnerId}`)).status, 200);
    assert.equal((await agents.trainer!.get(`/reports/learners/${learnerId}`)).status, 404);
  });

  it('saves a completion rule and validates it', async () => {
    const bad = await postForm(
      agents.owner!,
      `/reports/courses/${course.id}/rule`,
      `/reports/courses/${course.id}/rule`,
      { rule: 'min_score', min_score: '' },
    );
    assert.equal(bad.status, 422);
    assert.match(bad.text, /Give the minimum score/);
    const ok = await postForm(
      agents.owner!,
      `/reports/courses/${course.id}/rule`,
      `/reports/courses/${course.id}/rule`,
      { rule: 'passed', min_score: '', hours: '2,5' },
    );
    assert.equal(ok.status, 303);
    const rule = await t.ctx.db('course_completion_rules').where({ course_id: course.id }).first();
    assert.equal(rule.rule, 'passed');
    assert.equal(Number(rule.hours), 2.5);
    // another trainer, with a valid CSRF token: the policy hides the course and the rule stays
    const denied = await postForm(agents.trainer!, '/reports', `/reports/courses/${course.id}/rule`, {
      rule: 'completed',
      min_score: '',
      hours: '9',
    });
    assert.equal(denied.status, 404);
    const kept = await t.ctx.db('course_completion_rules').where({ course_id: course.id }).first();
    assert.equal(kept.rule, 'passed');
    assert.equal(Number(kept.hours), 2.5);
  });
});
