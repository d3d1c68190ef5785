import type { Db } from '../../platform/db.js';
import { NotFound, ValidationFailed } from '../../platform/errors.js';
import type { SessionUser } from '../../platform/http/types.js';
import { isUuid } from '../accounts/index.js';
import * as policy from './authoring.policy.js';
import * as repo from './authoring.repo.js';
import type { CourseDetailsForm, Direction } from './authoring.schemas.js';

/** The author's own course; anybody else gets 404, as if it did not exist. */
export async function courseForAuthor(
  db: Db,
  actor: SessionUser,
  id: string,
): Promise<repo.AuthoredCourseRow> {
  const course = isUuid(id) ? await repo.findAuthoredCourse(db, id) : undefined;
  if (!course || !policy.mayEditAuthored(actor, course)) throw new NotFound('course');
  return course;
}

export async function createAuthoredCourse(
  db: Db,
  actor: SessionUser,
  form: Pick<CourseDetailsForm, 'title' | 'language'>,
  firstSectionTitle: string,
) {
  return db.transaction(async (trx) => {
    const course = await repo.insertAuthoredCourse(trx, {
      owner_id: actor.id,
      title: form.title,
      language: form.language,
    });
    await repo.insertSection(trx, course.id, firstSectionTitle);
    return course;
  });
}

export async function updateDetails(db: Db, actor: SessionUser, id: string, form: CourseDetailsForm) {
  const course = await courseForAuthor(db, actor, id);
  await repo.updateAuthoredCourse(db, course.id, form);
  return course;
}

/** The whole draft for the editor page: sections with their lessons. */
export async function draftOutline(db: Db, courseId: string) {
  const sections = await repo.listSections(db, courseId);
  const lessons = await repo.listLessons(db, courseId);
  return sections.map((s) => ({
    ...s,
    lessons: lessons.filter((l) => l.section_id === s.id).sort((a, b) => a.position - b.position),
  }));
}

export async function sectionOf(db: Db, courseId: string, id: string) {
  const s = isUuid(id) ? await repo.findSection(db, courseId, id) : undefined;
  if (!s) throw new NotFound('section');
  return s;
}
export async function lessonOf(db: Db, courseId: string, id: string) {
  const l = isUuid(id) ? await repo.findLesson(db, courseId, id) : undefined;
  if (!l) throw new NotFound('lesson');
  return l;
}
export async function blockOf(db: Db, courseId: string, id: string) {
  const b = isUuid(id) ? await repo.findBlock(db, courseId, id) : undefined;
  if (!b) throw new NotFound('block');
  return b;
}

/** Runs a change to the draft with the course row locked, so concurrent edits go one after the other. */
export async function changeDraft<T>(db: Db, courseId: string, fn: (trx: Db) => Promise<T>): Promise<T> {
  return db.transaction(async (trx) => {
    await repo.lockAuthoredCourse(trx, courseId);
    const out = await fn(trx);
    await repo.touchAuthoredCourse(trx, courseId);
    return out;
  });
}

export async function addSection(db: Db, actor: SessionUser, id: string, title: string) {
  const course = await courseForAuthor(db, actor, id);
  return changeDraft(db, course.id, (trx) => repo.insertSection(trx, course.id, title));
}

export async function renameSection(
  db: Db,
  actor: SessionUser,
  id: string,
  sectionId: string,
  title: string,
) {
  const course = await courseForAuthor(db, actor, id);
  const section = await sectionOf(db, course.id, sectionId);
  await changeDraft(db, course.id, (trx) =>
    trx('authored_sections').where({ id: section.id }).update({ title, updated_at: trx.fn.now() }),
  );
  return section;
}

export async function deleteSection(db: Db, actor: SessionUser, id: string, sectionId: string) {
  const course = await courseForAuthor(db, actor, id);
  const section = await sectionOf(db, course.id, sectionId);
  await changeDraft(db, course.id, async (trx) => {
    await repo.deleteRow(trx, 'authored_sections', section.id);
    await renumber(trx, 'authored_sections', { authored_course_id: course.id });
  });
  return section;
}

export async function addLesson(db: Db, actor: SessionUser, id: string, sectionId: string, title: string) {
  const course = await courseForAuthor(db, actor, id);
  const section = await sectionOf(db, course.id, sectionId);
  return changeDraft(db, course.id, (trx) => repo.insertLesson(trx, course.id, section.id, title));
}

/** Renames a lesson, and moves it to the end of another section when one is given. */
export async function updateLesson(
  db: Db,
  actor: SessionUser,
  id: string,
  lessonId: string,
  form: { title: string; section_id?: string },
) {
  const course = await courseForAuthor(db, actor, id);
  const lesson = await lessonOf(db, course.id, lessonId);
  const target = form.section_id ? await sectionOf(db, course.id, form.section_id) : undefined;
  await changeDraft(db, course.id, async (trx) => {
    if (target && target.id !== lesson.section_id) {
      const position = await repo.nextLessonPosition(trx, target.id);
      await repo.setPosition(trx, 'authored_lessons', lesson.id, position, {
        section_id: target.id,
        title: form.title,
      });
      await renumber(trx, 'authored_lessons', { section_id: lesson.section_id });
    } else {
      await trx('authored_lessons')
        .where({ id: lesson.id })
        .update({ title: form.title, updated_at: trx.fn.now() });
    }
  });
  return lesson;
}

export async function deleteLesson(db: Db, actor: SessionUser, id: string, lessonId: string) {
  const course = await courseForAuthor(db, actor, id);
  const lesson = await lessonOf(db, course.id, lessonId);
  await changeDraft(db, course.id, async (trx) => {
    await repo.deleteRow(trx, 'authored_lessons', lesson.id);
    await renumber(trx, 'authored_lessons', { section_id: lesson.section_id });
  });
  return lesson;
}

export async function deleteBlock(db: Db, actor: SessionUser, id: string, blockId: string) {
  const course = await courseForAuthor(db, actor, id);
  const block = await blockOf(db, course.id, blockId);
  await changeDraft(db, course.id, async (trx) => {
    await repo.deleteRow(trx, 'authored_blocks', block.id);
    await renumber(trx, 'authored_blocks', { lesson_id: block.lesson_id });
  });
  return block;
}

type Scope = { authored_course_id: string } | { section_id: string } | { lesson_id: string };

async function renumber(trx: Db, table: repo.OrderedTable, scope: Scope, order?: string[]) {
  const rows = (await trx(table).where(scope).orderBy(['position', 'created_at']).select('id')) as {
    id: string;
  }[];
  const ids = order ?? rows.map((r) => r.id);
  for (const [i, rid] of ids.entries()) await repo.setPosition(trx, table, rid, i + 1);
}

const SCOPES = {
  sections: {
    table: 'authored_sections',
    parent: (r: { authored_course_id: string }) => ({ authored_course_id: r.authored_course_id }),
  },
  lessons: {
    table: 'authored_lessons',
    parent: (r: { section_id: string }) => ({ section_id: r.section_id }),
  },
  blocks: { table: 'authored_blocks', parent: (r: { lesson_id: string }) => ({ lesson_id: r.lesson_id }) },
} as const;
export type OrderScope = keyof typeof SCOPES;

/** Swaps an item with its neighbour; returns its new place (1-based) and how many there are. */
export async function moveItem(
  db: Db,
  actor: SessionUser,
  id: string,
  scope: OrderScope,
  itemId: string,
  direction: Direction,
) {
  const course = await courseForAuthor(db, actor, id);
  const item =
    scope === 'sections'
      ? await sectionOf(db, course.id, itemId)
      : scope === 'lessons'
        ? await lessonOf(db, course.id, itemId)
        : await blockOf(db, course.id, itemId);
  const { table, parent } = SCOPES[scope];
  const where = (parent as (r: typeof item) => Scope)(item);
  return changeDraft(db, course.id, async (trx) => {
    const ids = (
      (await trx(table).where(where).orderBy(['position', 'created_at']).select('id')) as { id: string }[]
    ).map((r) => r.id);
    const i = ids.indexOf(item.id);
    const j = direction === 'up' ? i - 1 : i + 1;
    if (i >= 0 && j >= 0 && j < ids.length) [ids[i], ids[j]] = [ids[j]!, ids[i]!];
    await renumber(trx, table, where, ids);
    return { item, place: ids.indexOf(item.id) + 1, of: ids.length };
  });
}

/** Puts the children of one parent in the order given (drag and drop); the ids must be all of them. */
export async function reorder(
  db: Db,
  actor: SessionUser,
  id: string,
  scope: OrderScope,
  parentId: string | undefined,
  order: string[],
) {
  const course = await courseForAuthor(db, actor, id);
  const { table } = SCOPES[scope];
  let where: Scope;
  if (scope === 'sections') where = { authored_course_id: course.id };
  else if (scope === 'lessons') where = { section_id: (await sectionOf(db, course.id, parentId ?? '')).id };
  else where = { lesson_id: (await lessonOf(db, course.id, parentId ?? '')).id };
  await changeDraft(db, course.id, async (trx) => {
    const ids = ((await trx(table).where(where).select('id')) as { id: string }[]).map((r) => r.id);
    const same =
      ids.length === order.length &&
      new Set(order).size === order.length &&
      order.every((x) => ids.includes(x));
    if (!same) throw new ValidationFailed({ ids: 'authoring:errors.reorder' });
    await renumber(trx, table, where, order);
  });
}
