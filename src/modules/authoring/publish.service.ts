import type { Config } from '../../platform/config.js';
import type { Db } from '../../platform/db.js';
import { Conflict, NotFound } from '../../platform/errors.js';
import type { SessionUser } from '../../platform/http/types.js';
import { findUserById } from '../accounts/index.js';
import { createCourse, publishCourse, setActivityOfKind, updateCourseFields } from '../courses/index.js';
import { registerActivityIri } from '../progress/index.js';
import * as repo from './authoring.repo.js';
import { BlockData, type Block, type Snapshot } from './authoring.schemas.js';
import { courseForAuthor, draftOutline } from './editor.service.js';
import { courseIri } from './statements.js';

export const AUTHORED_KIND = 'authored';

/** The draft as it stands, in the shape of a published version (number not yet given). */
export async function buildSnapshot(
  db: Db,
  course: repo.AuthoredCourseRow,
  version: number,
): Promise<Snapshot> {
  const outline = await draftOutline(db, course.id);
  const blocks = await repo.listBlocksOfCourse(db, course.id);
  const owner = await findUserById(db, course.owner_id);
  const fileIds = new Set<string>(course.cover_file_id ? [course.cover_file_id] : []);
  const blocksOf = (lessonId: string): Block[] =>
    blocks
      .filter((b) => b.lesson_id === lessonId)
      .sort((a, b) => a.position - b.position)
      .flatMap((b) => {
        const parsed = BlockData[b.kind]?.safeParse(b.data);
        if (!parsed?.success) return [];
        const data = parsed.data as { fileId?: string };
        if (data.fileId) fileIds.add(data.fileId);
        return [{ id: b.id, kind: b.kind, ...parsed.data } as Block];
      });
  const sections = outline.map((s) => ({
    id: s.id,
    title: s.title,
    lessons: s.lessons.map((l) => ({ id: l.id, title: l.title, blocks: blocksOf(l.id) })),
  }));
  const files = await repo.listFiles(db, course.id, [...fileIds]);
  return {
    format: 1,
    authoredCourseId: course.id,
    version,
    title: course.title,
    description: course.description,
    language: course.language,
    licence: course.licence,
    attribution: course.attribution,
    author: { id: course.owner_id, name: owner?.name ?? '' },
    coverFileId:
      course.cover_file_id && files.some((f) => f.id === course.cover_file_id) ? course.cover_file_id : null,
    publishedAt: new Date().toISOString(),
    sections,
    files: Object.fromEntries(
      files.map((f) => [
        f.id,
        { name: f.name, mediaType: f.media_type, size: Number(f.size), sha256: f.sha256, kind: f.kind },
      ]),
    ),
  };
}

export interface Problem {
  key: string;
  params?: Record<string, unknown>;
  href?: string;
}

/** What stops the draft from being published, each with where to fix it. */
export function publishProblems(s: Snapshot): Problem[] {
  const problems: Problem[] = [];
  const lessons = s.sections.flatMap((x) => x.lessons);
  if (!lessons.length) problems.push({ key: 'authoring:publish.problems.noLesson' });
  for (const l of lessons) {
    const at = { lesson: l.title };
    const href = `lessons/${l.id}`;
    if (!l.blocks.length) problems.push({ key: 'authoring:publish.problems.emptyLesson', params: at, href });
    for (const b of l.blocks) {
      const bref = `${href}#block-${b.id}`;
      if (b.kind === 'image' && !b.alt.trim())
        problems.push({ key: 'authoring:publish.problems.alt', params: at, href: bref });
      if (b.kind === 'image' || b.kind === 'file' || (b.kind === 'video' && b.source === 'file')) {
        if (!b.fileId || !s.files[b.fileId])
          problems.push({ key: 'authoring:publish.problems.file', params: at, href: bref });
      }
      if (b.kind === 'video' && b.source === 'link' && !b.url)
        problems.push({ key: 'authoring:publish.problems.videoUrl', params: at, href: bref });
      if (b.kind === 'h5p' && !b.activityId)
        problems.push({ key: 'authoring:publish.problems.h5p', params: at, href: bref });
      if (b.kind === 'quiz') {
        if (!b.questions.length)
          problems.push({ key: 'authoring:publish.problems.noQuestion', params: at, href: bref });
        for (const q of b.questions) {
          const ok =
            q.prompt.trim() &&
            (q.type === 'short'
              ? q.accepted.length > 0
              : q.options.some((o) => o.correct) && q.options.length >= 2);
          if (!ok) problems.push({ key: 'authoring:publish.problems.question', params: at, href: bref });
        }
      }
    }
  }
  return problems;
}

/**
 * Freezes the draft as the next version and makes it what learners take: creates (or updates) the
 * platform course with one `authored` activity pointing at this version, and publishes it.
 */
export async function publish(db: Db, config: Pick<Config, 'publicUrl'>, actor: SessionUser, id: string) {
  const course = await courseForAuthor(db, actor, id);
  return db.transaction(async (trx) => {
    const locked = await trx<repo.AuthoredCourseRow>('authored_courses')
      .where({ id: course.id })
      .forUpdate()
      .first();
    if (!locked) throw new NotFound('course');
    const version = (locked.published_version ?? 0) + 1;
    const snapshot = await buildSnapshot(trx, locked, version);
    if (publishProblems(snapshot).length) throw new Conflict('authoring:publish.refused');
    await repo.insertVersion(trx, { courseId: locked.id, version, snapshot, publishedBy: actor.id });
    const fields = {
      title: locked.title,
      description: locked.description,
      language: locked.language,
      visibility: locked.visibility,
    };
    let courseId = locked.course_id;
    if (!courseId) courseId = (await createCourse(trx, locked.owner_id, fields)).id;
    else await updateCourseFields(trx, courseId, fields);
    const activity = await setActivityOfKind(trx, courseId, {
      kind: AUTHORED_KIND,
      title: locked.title,
      contentRef: { authoredCourseId: locked.id, version },
    });
    // progress tracks the course's IRI from its first version on (idempotent: every version shares it)
    await registerActivityIri(trx, activity.id, courseIri(config.publicUrl, locked.id), locked.title);
    await publishCourse(trx, courseId);
    await trx('authored_courses')
      .where({ id: locked.id })
      .update({ course_id: courseId, published_version: version, updated_at: trx.fn.now() });
    return { version, courseId };
  });
}

export async function versionSnapshot(db: Db, authoredCourseId: string, version: number): Promise<Snapshot> {
  const row = await repo.findVersion(db, authoredCourseId, version);
  if (!row) throw new NotFound('course');
  return row.snapshot;
}
