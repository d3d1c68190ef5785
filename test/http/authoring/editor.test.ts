import assert from 'node:assert/strict';
import { buildUser } from '../../factories.js';
import { csrfFrom, postForm, signIn, startTestApp, type Agent, type TestApp } from '../../helpers/http.js';
import { diskFileStore } from '../../../src/modules/authoring/files.storage.js';
import { encodePng } from '../../../src/modules/authoring/png.js';
import * as repo from '../../../src/modules/authoring/authoring.repo.js';
import { asSession, buildAuthoredCourse } from '../../integration/authoring/fixtures.js';
import { hasActiveContent, XSS } from '../../integration/authoring/xss.js';
import { unzip } from '../../integration/authoring/packages.js';
import { buildCourse } from '../../integration/courses/fixtures.js';
import { insertActivity } from '../../../src/modules/courses/activities.repo.js';

describe('course editor (HTTP)', () => {
  let t: TestApp;
  let author: Awaited<ReturnType<typeof buildUser>>;
  let agent: Agent;
  before(async function () {
    this.timeout(180_000); // room for migrating a fresh database on a loaded machine
    t = await startTestApp();
    author = await buildUser(t.ctx.db, { roles: ['learner'] });
    agent = await signIn(t.app, author.email, author.password);
  });
  after(() => t.close());
  const store = () => diskFileStore(t.ctx.config.contentDir);

  it('lets any member create a course, with a first section, in the language they choose', async () => {
    const res = await postForm(agent, '/authoring', '/authoring/courses', {
      title: 'Mein Kurs',
      language: 'de',
    });
    assert.equal(res.status, 303);
    const course = await t.ctx
      .db('authored_courses')
      .where({ owner_id: author.id, title: 'Mein Kurs' })
      .first();
    assert.equal(res.headers.location, `/authoring/courses/${course.id}`);
    const sections = await repo.listSections(t.ctx.db, course.id);
    assert.deepEqual(
      sections.map((s) => s.title),
      ['Abschnitt 1'],
    );
    const page = await agent.get(res.headers.location);
    assert.equal(page.status, 200);
    assert.match(page.text, /data-autosave/);
    assert.match(page.text, /Move up/);
  });

  it('explains a refused form in the user’s language', async () => {
    const res = await postForm(agent, '/authoring', '/authoring/courses', { title: ' ', language: 'xx' });
    assert.equal(res.status, 422);
    assert.match(res.text, /Enter a title\./);
    assert.match(res.text, /aria-invalid="true"/);
  });

  it('saves details by form (redirect) and by autosave (JSON with the messages)', async () => {
    const { course } = await buildAuthoredCourse(t.ctx.db, store(), asSession(author));
    const page = `/authoring/courses/${course.id}`;
    const fields = {
      title: 'Renamed',
      description: 'D',
      language: 'fr',
      licence: 'cc-by',
      attribution: 'Me',
      visibility: 'public',
    };
    const res = await postForm(agent, page, page, fields);
    assert.equal(res.status, 303);
    const row = (await repo.findAuthoredCourse(t.ctx.db, course.id))!;
    assert.equal(row.title, 'Renamed');
    assert.equal(row.licence, 'cc-by');
    const token = await csrfFrom(agent, page);
    const json = await agent
      .post(page)
      .set('Accept', 'application/json')
      .set('X-CSRF-Token', token)
      .type('form')
      .send({ ...fields, licence: 'gpl' });
    assert.equal(json.status, 422);
    assert.deepEqual(json.body, {
      ok: false,
      errors: { licence: 'Choose one of the licences in the list.' },
    });
    const ok = await agent
      .post(page)
      .set('Accept', 'application/json')
      .set('X-CSRF-Token', token)
      .type('form')
      .send({ ...fields, title: 'Autosaved' });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.ok, true);
    assert.equal((await repo.findAuthoredCourse(t.ctx.db, course.id))!.title, 'Autosaved');
  });

  it('refuses a post without the CSRF token', async () => {
    const { course } = await buildAuthoredCourse(t.ctx.db, store(), asSession(author));
    const res = await agent.post(`/authoring/courses/${course.id}/publish`).type('form').send({});
    assert.equal(res.status, 403);
    assert.equal((await repo.findAuthoredCourse(t.ctx.db, course.id))!.published_version, null);
  });

  it('answers 404 to another member on every route that takes an id', async () => {
    const { course, lessons, quiz, section, image } = await buildAuthoredCourse(
      t.ctx.db,
      store(),
      asSession(author),
      { publish: t.ctx.config },
    );
    const other = await buildUser(t.ctx.db, { roles: ['trainer', 'admin'] });
    const oa = await signIn(t.app, other.email, other.password);
    const base = `/authoring/courses/${course.id}`;
    const gets = [
      base,
      `${base}/lessons/${lessons[0]!.id}`,
      `${base}/blocks/${quiz.id}/questions/qsingle`,
      `${base}/export/scorm12`,
    ];
    for (const p of gets) assert.equal((await oa.get(p)).status, 404, p);
    const token = await csrfFrom(oa, '/authoring');
    const posts: [string, object][] = [
      [base, { title: 'Hijack', language: 'en', licence: 'cc0', visibility: 'public' }],
      [`${base}/sections`, { title: 'x' }],
      [`${base}/sections/${section.id}`, { title: 'x' }],
      [`${base}/sections/${section.id}/move`, { direction: 'down' }],
      [`${base}/sections/${section.id}/delete`, {}],
      [`${base}/lessons`, { title: 'x', section_id: section.id }],
      [`${base}/lessons/${lessons[0]!.id}`, { title: 'x' }],
      [`${base}/lessons/${lessons[0]!.id}/move`, { direction: 'down' }],
      [`${base}/lessons/${lessons[0]!.id}/delete`, {}],
      [`${base}/lessons/${lessons[0]!.id}/blocks`, { kind: 'text' }],
      [`${base}/blocks/${quiz.id}`, { title: 'x', pass_mark: '1' }],
      [`${base}/blocks/${quiz.id}/move`, { direction: 'up' }],
      [`${base}/blocks/${quiz.id}/delete`, {}],
      [`${base}/blocks/${quiz.id}/questions`, { type: 'short' }],
      [`${base}/blocks/${quiz.id}/questions/qsingle`, { prompt: 'x' }],
      [`${base}/blocks/${quiz.id}/questions/qsingle/move`, { direction: 'down' }],
      [`${base}/blocks/${quiz.id}/questions/qsingle/delete`, {}],
      [`${base}/reorder`, { scope: 'sections', ids: [section.id] }],
      [`${base}/publish`, {}],
    ];
    for (const [p, body] of posts) {
      const res = await oa
        .post(p)
        .type('form')
        .send({ ...body, _csrf: token });
      assert.equal(res.status, 404, p);
    }
    // The cover and a lesson's uploads are multipart.
    const filesBefore = (await t.ctx.db('authored_files').where({ authored_course_id: course.id })).length;
    const blocksBefore = (await repo.listBlocks(t.ctx.db, lessons[0]!.id)).length;
    const up = await oa
      .post(`${base}/cover`)
      .field('_csrf', token)
      .attach(
        'file',
        encodePng(2, 2, () => [0, 0, 0]),
        'x.png',
      );
    assert.equal(up.status, 404);
    const upload = await oa
      .post(`${base}/lessons/${lessons[0]!.id}/uploads`)
      .field('_csrf', token)
      .field('kind', 'image')
      .field('alt', 'Slipped in')
      .attach(
        'file',
        encodePng(2, 2, () => [0, 0, 0]),
        'x.png',
      );
    assert.equal(upload.status, 404, 'lesson upload');
    const row = (await repo.findAuthoredCourse(t.ctx.db, course.id))!;
    assert.equal(row.title, 'Test course');
    assert.equal(row.published_version, 1);
    assert.equal((await repo.listBlocks(t.ctx.db, lessons[1]!.id)).length, 1);
    assert.equal((await repo.listBlocks(t.ctx.db, lessons[0]!.id)).length, blocksBefore);
    assert.equal(
      (await t.ctx.db('authored_files').where({ authored_course_id: course.id })).length,
      filesBefore,
    );
    // Files of a course are for its author and its learners only.
    const member = await buildUser(t.ctx.db);
    const ma = await signIn(t.app, member.email, member.password);
    assert.equal((await ma.get(`/authoring/files/${image.id}`)).status, 404, 'a member not enrolled');
    const img = await agent.get(`/authoring/files/${image.id}`);
    assert.equal(img.status, 200);
    assert.equal(img.headers['content-type'], 'image/png');
    assert.equal(img.headers['x-content-type-options'], 'nosniff');
    assert.match(img.headers['content-security-policy'] ?? '', /sandbox/);
  });

  it('checks uploads by their content, not their name; images need alternative text', async () => {
    const { course, lessons } = await buildAuthoredCourse(t.ctx.db, store(), asSession(author));
    const page = `/authoring/courses/${course.id}/lessons/${lessons[0]!.id}`;
    const action = `${page}/uploads`;
    const token = await csrfFrom(agent, page);
    const png = encodePng(8, 8, () => [0, 100, 0]);
    const before = (await repo.listBlocks(t.ctx.db, lessons[0]!.id)).length;

    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    let res = await agent
      .post(action)
      .field('_csrf', token)
      .field('kind', 'image')
      .field('alt', 'x')
      .attach('file', svg, 'picture.png');
    assert.equal(res.status, 422);
    assert.match(res.text, /not a PNG, JPEG, GIF or WebP image/);

    res = await agent
      .post(action)
      .field('_csrf', token)
      .field('kind', 'image')
      .field('alt', '')
      .attach('file', png, 'dot.png');
    assert.equal(res.status, 422);
    assert.match(res.text, /Describe the image in the alternative text/);

    res = await agent
      .post(action)
      .field('_csrf', token)
      .field('kind', 'video')
      .attach('file', png, 'movie.mp4');
    assert.equal(res.status, 422);
    assert.match(res.text, /not an MP4, WebM or Ogg video/);

    res = await agent
      .post(action)
      .field('_csrf', token)
      .field('kind', 'file')
      .attach('file', Buffer.from('\u0000\u0001binary'), 'notes.txt');
    assert.equal(res.status, 422);

    res = await agent.post(action).field('kind', 'image').field('alt', 'x').attach('file', png, 'dot.png');
    assert.equal(res.status, 403, 'no CSRF token');

    assert.equal((await repo.listBlocks(t.ctx.db, lessons[0]!.id)).length, before);

    res = await agent
      .post(action)
      .field('_csrf', token)
      .field('kind', 'image')
      .field('alt', 'A green square')
      .attach('file', png, '"><img src=x onerror=alert(1)>.jpg');
    assert.equal(res.status, 303);
    const blocks = await repo.listBlocks(t.ctx.db, lessons[0]!.id);
    const added = blocks.at(-1)!;
    assert.equal(added.kind, 'image');
    const file = (await repo.findFile(t.ctx.db, course.id, added.data.fileId as string))!;
    assert.equal(file.media_type, 'image/png');
    assert.match(
      file.name,
      /^[A-Za-z0-9.-]*img-src-x-onerror-alert-1\.png$/,
      'the name is made safe, its extension from the content',
    );

    res = await agent
      .post(action)
      .field('_csrf', token)
      .field('kind', 'file')
      .field('label', 'Notes')
      .attach('file', Buffer.from('Plain notes, UTF-8: ça va.\n'), 'notes.exe');
    assert.equal(res.status, 303);
    const notes = (await repo.listBlocks(t.ctx.db, lessons[0]!.id)).at(-1)!;
    const txt = (await repo.findFile(t.ctx.db, course.id, notes.data.fileId as string))!;
    assert.equal(txt.media_type, 'text/plain');
    assert.equal(txt.name, 'notes.txt');
    const dl = await agent.get(`/authoring/files/${txt.id}`);
    assert.match(dl.headers['content-disposition'] ?? '', /^attachment/);
  });

  it('serves uploads so that none can run script on the LMS origin (HTML, SVG: plain text, downloaded)', async () => {
    const { course, lessons } = await buildAuthoredCourse(t.ctx.db, store(), asSession(author));
    const page = `/authoring/courses/${course.id}/lessons/${lessons[0]!.id}`;
    const token = await csrfFrom(agent, page);
    const active = {
      'page.html':
        '<!doctype html><html><body><script>parent.document.title = "owned"</script></body></html>',
      'drawing.svg':
        '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>',
    };
    for (const [name, text] of Object.entries(active)) {
      const res = await agent
        .post(`${page}/uploads`)
        .field('_csrf', token)
        .field('kind', 'file')
        .field('label', name)
        .attach('file', Buffer.from(text), name);
      assert.equal(res.status, 303, name);
      const block = (await repo.listBlocks(t.ctx.db, lessons[0]!.id)).at(-1)!;
      const file = (await repo.findFile(t.ctx.db, course.id, block.data.fileId as string))!;
      assert.equal(file.media_type, 'text/plain', name);
      assert.match(file.name, /\.txt$/, name);
      const served = await agent.get(`/authoring/files/${file.id}`);
      assert.equal(served.status, 200);
      assert.equal(served.headers['content-type'], 'text/plain; charset=utf-8', name);
      assert.equal(served.headers['x-content-type-options'], 'nosniff');
      assert.match(
        served.headers['content-disposition'] ?? '',
        /^attachment; filename="[A-Za-z0-9._-]+\.txt"$/,
      );
      assert.match(served.headers['content-security-policy'] ?? '', /^default-src 'none'; sandbox$/);
    }
  });

  it('adds, edits, reorders and deletes blocks and questions', async () => {
    const { course, lessons, quiz } = await buildAuthoredCourse(t.ctx.db, store(), asSession(author));
    const page = `/authoring/courses/${course.id}/lessons/${lessons[0]!.id}`;
    let res = await postForm(agent, page, `${page}/blocks`, { kind: 'video-link' });
    assert.equal(res.status, 303);
    const video = (await repo.listBlocks(t.ctx.db, lessons[0]!.id)).at(-1)!;
    res = await postForm(agent, page, `/authoring/courses/${course.id}/blocks/${video.id}`, {
      url: 'https://evil.example/v/1',
      title: 'V',
    });
    assert.equal(res.status, 422);
    assert.match(res.text, /YouTube or Vimeo video/);
    res = await postForm(agent, page, `/authoring/courses/${course.id}/blocks/${video.id}`, {
      url: 'https://youtu.be/dQw4w9WgXcQ',
      title: 'V',
    });
    assert.equal(res.status, 303);
    const lessonPage = await agent.get(page);
    assert.match(lessonPage.text, /https:\/\/www\.youtube-nocookie\.com\/embed\/dQw4w9WgXcQ/);
    assert.match(
      lessonPage.headers['content-security-policy'] ?? '',
      /frame-src[^;]*https:\/\/www\.youtube-nocookie\.com/,
    );

    // Move the video block up by keyboard-style form posts, then put it back by drag-and-drop order.
    res = await postForm(agent, page, `/authoring/courses/${course.id}/blocks/${video.id}/move`, {
      direction: 'up',
    });
    assert.equal(res.status, 303);
    let order = (await repo.listBlocks(t.ctx.db, lessons[0]!.id)).map((b) => b.id);
    assert.equal(order.indexOf(video.id), order.length - 2);
    const token = await csrfFrom(agent, page);
    const json = await agent
      .post(`/authoring/courses/${course.id}/blocks/${video.id}/move`)
      .set('Accept', 'application/json')
      .type('form')
      .send({ direction: 'up', _csrf: token });
    assert.equal(json.status, 200);
    assert.equal(json.body.place, order.length - 2);
    const reversed = [...(await repo.listBlocks(t.ctx.db, lessons[0]!.id)).map((b) => b.id)].reverse();
    res = await agent
      .post(`/authoring/courses/${course.id}/reorder`)
      .set('Accept', 'application/json')
      .type('form')
      .send({ scope: 'blocks', parent: lessons[0]!.id, ids: reversed, _csrf: token });
    assert.equal(res.status, 200);
    order = (await repo.listBlocks(t.ctx.db, lessons[0]!.id)).map((b) => b.id);
    assert.deepEqual(order, reversed);
    res = await agent
      .post(`/authoring/courses/${course.id}/reorder`)
      .type('form')
      .send({ scope: 'blocks', parent: lessons[0]!.id, ids: reversed.slice(1), _csrf: token });
    assert.equal(res.status, 422, 'an order must name every block');

    // Questions: add a short answer, save it, refuse one without accepted answers.
    const lesson2 = `/authoring/courses/${course.id}/lessons/${lessons[1]!.id}`;
    res = await postForm(agent, lesson2, `/authoring/courses/${course.id}/blocks/${quiz.id}/questions`, {
      type: 'short',
    });
    assert.equal(res.status, 303);
    const qPage = res.headers.location as string;
    res = await postForm(agent, qPage, qPage, { prompt: 'Capital of France?', accepted: '' });
    assert.equal(res.status, 422);
    assert.match(res.text, /Enter at least one accepted answer/);
    res = await postForm(agent, qPage, qPage, {
      prompt: 'Capital of France?',
      accepted: 'Paris\n  paris \n',
      feedback_correct: 'Oui',
    });
    assert.equal(res.status, 303);
    const data = (await repo.findBlock(t.ctx.db, course.id, quiz.id))!.data as {
      questions: { prompt: string; accepted: string[] }[];
    };
    assert.deepEqual(data.questions.at(-1)!.accepted, ['Paris', 'paris']);
    res = await postForm(agent, lesson2, `/authoring/courses/${course.id}/blocks/${quiz.id}/questions`, {
      type: 'multiple',
    });
    const mPage = res.headers.location as string;
    res = await postForm(agent, mPage, mPage, {
      prompt: 'Pick',
      option_text_0: 'One',
      option_text_1: '',
      option_text_2: 'Three',
      option_correct_2: 'on',
    });
    assert.equal(res.status, 303);
    const multi = (
      (await repo.findBlock(t.ctx.db, course.id, quiz.id))!.data as {
        questions: { options: { id: string; text: string; correct: boolean }[] }[];
      }
    ).questions.at(-1)!;
    assert.deepEqual(
      multi.options.map((o) => [o.id, o.text, o.correct]),
      [
        ['a', 'One', false],
        ['b', 'Three', true],
      ],
    );
    res = await postForm(agent, mPage, `${mPage}/delete`, {});
    assert.equal(res.status, 303);
    res = await postForm(agent, page, `/authoring/courses/${course.id}/blocks/${video.id}/delete`, {});
    assert.equal(res.status, 303);
    assert.equal(await repo.findBlock(t.ctx.db, course.id, video.id), undefined);
  });

  it('references an H5P activity of the platform by id, shown by its title until the player exists', async () => {
    const { course, lessons } = await buildAuthoredCourse(t.ctx.db, store(), asSession(author));
    const page = `/authoring/courses/${course.id}/lessons/${lessons[0]!.id}`;
    await postForm(agent, page, `${page}/blocks`, { kind: 'h5p' });
    const block = (await repo.listBlocks(t.ctx.db, lessons[0]!.id)).at(-1)!;
    const action = `/authoring/courses/${course.id}/blocks/${block.id}`;
    let res = await postForm(agent, page, action, { activity_id: 'not-an-id' });
    assert.equal(res.status, 422);
    res = await postForm(agent, page, action, { activity_id: '1b4e28ba-2fa1-41d2-883f-0016d3cca427' });
    assert.equal(res.status, 422);
    assert.match(res.text, /There is no H5P activity with this id/);
    const other = await buildCourse(t.ctx.db, { ownerId: author.id });
    const h5p = await insertActivity(t.ctx.db, {
      courseId: other.id,
      kind: 'h5p',
      title: 'Drag the words',
      contentRef: {},
    });
    res = await postForm(agent, page, action, { activity_id: h5p.id });
    assert.equal(res.status, 303);
    assert.deepEqual((await repo.findBlock(t.ctx.db, course.id, block.id))!.data, {
      activityId: h5p.id,
      title: 'Drag the words',
    });
    assert.match((await agent.get(page)).text, /H5P content: Drag the words/);
  });

  it('renders the live preview sanitized', async () => {
    const token = await csrfFrom(agent, '/authoring');
    const res = await agent
      .post('/authoring/preview')
      .set('Accept', 'application/json')
      .type('form')
      .send({ markdown: XSS.join('\n\n') + '\n\n**ok**', _csrf: token });
    assert.equal(res.status, 200);
    assert.equal(hasActiveContent(res.body.html), null);
    assert.match(res.body.html, /<strong>ok<\/strong>/);
  });

  it('neutralises script in every editor and learner page', async () => {
    const evil = await buildUser(t.ctx.db, { name: XSS[1]! });
    const ea = await signIn(t.app, evil.email, evil.password);
    const built = await buildAuthoredCourse(t.ctx.db, store(), asSession(evil), {
      publish: t.ctx.config,
      texts: {
        title: XSS[1]!,
        markdown: XSS.join('\n\n'),
        alt: XSS[1]!,
        prompt: XSS[0]!,
        feedback: XSS[2]!,
        lesson: XSS[0]!,
      },
    });
    const slug = (await t.ctx.db('courses').where({ id: built.published!.courseId }).first()).slug;
    const base = `/authoring/courses/${built.course.id}`;
    const pages = [
      '/authoring',
      base,
      `${base}/lessons/${built.lessons[0]!.id}`,
      `${base}/lessons/${built.lessons[1]!.id}`,
      `${base}/blocks/${built.quiz.id}/questions/qsingle`,
      `/courses/${slug}`,
      `/learn/${slug}`,
      `/learn/${slug}/lessons/${built.lessons[0]!.id}`,
      `/learn/${slug}/lessons/${built.lessons[1]!.id}`,
    ];
    for (const p of pages) {
      const res = await ea.get(p);
      assert.equal(res.status, 200, p);
      const markup = res.text.replace(/<script src="\/static\/js\/authoring\.js" defer><\/script>/g, '');
      assert.equal(hasActiveContent(markup), null, p);
    }
    // Wrong answers show the feedback: still inert.
    const token = await csrfFrom(ea, `/learn/${slug}/lessons/${built.lessons[1]!.id}`);
    const res = await ea
      .post(`/learn/${slug}/quizzes/${built.quiz.id}`)
      .type('form')
      .send({ _csrf: token, q_qsingle: 'a' });
    assert.equal(res.status, 200);
    assert.equal(hasActiveContent(res.text), null);
  });

  it('downloads exports of the published version only, as zips', async () => {
    const { course } = await buildAuthoredCourse(t.ctx.db, store(), asSession(author));
    assert.equal((await agent.get(`/authoring/courses/${course.id}/export/scorm12`)).status, 409);
    await postForm(agent, `/authoring/courses/${course.id}`, `/authoring/courses/${course.id}/publish`, {});
    assert.equal((await agent.get(`/authoring/courses/${course.id}/export/pdf`)).status, 404);
    for (const format of ['scorm12', 'scorm2004', 'cmi5', 'html']) {
      const res = await agent
        .get(`/authoring/courses/${course.id}/export/${format}`)
        .buffer(true)
        .parse((r, cb) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => cb(null, Buffer.concat(chunks)));
        });
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-type'], 'application/zip');
      assert.match(
        res.headers['content-disposition'] ?? '',
        new RegExp(`attachment; filename="test-course-v1-${format}\\.zip"`),
      );
      const files = await unzip(res.body as Buffer);
      assert.ok(files.has('index.html'));
    }
  });
});
