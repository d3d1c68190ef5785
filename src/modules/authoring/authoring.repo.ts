import type { Db } from '../../platform/db.js';
import type { Language } from '../../platform/i18n.js';
import type { BlockKind, Licence, Snapshot } from './authoring.schemas.js';

export interface AuthoredCourseRow {
  id: string;
  owner_id: string;
  title: string;
  description: string;
  language: Language;
  licence: Licence;
  attribution: string;
  visibility: 'members' | 'public';
  cover_file_id: string | null;
  course_id: string | null;
  published_version: number | null;
  created_at: Date;
  updated_at: Date;
}
export interface SectionRow {
  id: string;
  authored_course_id: string;
  title: string;
  position: number;
}
export interface LessonRow {
  id: string;
  authored_course_id: string;
  section_id: string;
  title: string;
  position: number;
}
export interface BlockRow {
  id: string;
  authored_course_id: string;
  lesson_id: string;
  kind: BlockKind;
  position: number;
  data: Record<string, unknown>;
  updated_at: Date;
}
export interface FileRow {
  id: string;
  authored_course_id: string;
  kind: string;
  name: string;
  media_type: string;
  size: number | string;
  sha256: string;
  storage_key: string;
}
export interface VersionRow {
  id: string;
  authored_course_id: string;
  version: number;
  snapshot: Snapshot;
  published_by: string | null;
  published_at: Date;
}

const now = (db: Db) => db.fn.now();

// ---- courses ----
export async function insertAuthoredCourse(
  db: Db,
  c: Pick<AuthoredCourseRow, 'owner_id' | 'title' | 'language'>,
): Promise<AuthoredCourseRow> {
  const [row] = await db('authored_courses').insert(c).returning('*');
  return row as AuthoredCourseRow;
}
export const findAuthoredCourse = (db: Db, id: string): Promise<AuthoredCourseRow | undefined> =>
  db<AuthoredCourseRow>('authored_courses').where({ id }).first();
export const findAuthoredCourseByPlatformCourse = (
  db: Db,
  courseId: string,
): Promise<AuthoredCourseRow | undefined> =>
  db<AuthoredCourseRow>('authored_courses').where({ course_id: courseId }).first();
export const lockAuthoredCourse = (db: Db, id: string) =>
  db('authored_courses').where({ id }).forUpdate().first('id');
export const listAuthoredCoursesOf = (db: Db, ownerId: string): Promise<AuthoredCourseRow[]> =>
  db<AuthoredCourseRow>('authored_courses').where({ owner_id: ownerId }).orderBy('updated_at', 'desc');
export const updateAuthoredCourse = (db: Db, id: string, patch: Partial<Omit<AuthoredCourseRow, 'id'>>) =>
  db('authored_courses')
    .where({ id })
    .update({ ...patch, updated_at: now(db) });
/** Marks the draft as changed (its list is sorted by it). */
export const touchAuthoredCourse = (db: Db, id: string) =>
  db('authored_courses')
    .where({ id })
    .update({ updated_at: now(db) });

// ---- sections ----
export const listSections = (db: Db, courseId: string): Promise<SectionRow[]> =>
  db<SectionRow>('authored_sections').where({ authored_course_id: courseId }).orderBy('position');
export const findSection = (db: Db, courseId: string, id: string): Promise<SectionRow | undefined> =>
  db<SectionRow>('authored_sections').where({ authored_course_id: courseId, id }).first();
export async function insertSection(db: Db, courseId: string, title: string): Promise<SectionRow> {
  const [row] = await db('authored_sections')
    .insert({
      authored_course_id: courseId,
      title,
      position: db('authored_sections')
        .where({ authored_course_id: courseId })
        .select(db.raw('coalesce(max(position), 0) + 1')),
    })
    .returning('*');
  return row as SectionRow;
}

// ---- lessons ----
export const listLessons = (db: Db, courseId: string): Promise<LessonRow[]> =>
  db<LessonRow>('authored_lessons')
    .where({ authored_course_id: courseId })
    .orderBy(['section_id', 'position']);
export const findLesson = (db: Db, courseId: string, id: string): Promise<LessonRow | undefined> =>
  db<LessonRow>('authored_lessons').where({ authored_course_id: courseId, id }).first();
export async function insertLesson(
  db: Db,
  courseId: string,
  sectionId: string,
  title: string,
): Promise<LessonRow> {
  const [row] = await db('authored_lessons')
    .insert({
      authored_course_id: courseId,
      section_id: sectionId,
      title,
      position: db('authored_lessons')
        .where({ section_id: sectionId })
        .select(db.raw('coalesce(max(position), 0) + 1')),
    })
    .returning('*');
  return row as LessonRow;
}
export const nextLessonPosition = async (db: Db, sectionId: string): Promise<number> => {
  const row = (await db('authored_lessons')
    .where({ section_id: sectionId })
    .max({ m: 'position' })
    .first()) as { m: number | null } | undefined;
  return Number(row?.m ?? 0) + 1;
};

// ---- blocks ----
export const listBlocksOfCourse = (db: Db, courseId: string): Promise<BlockRow[]> =>
  db<BlockRow>('authored_blocks').where({ authored_course_id: courseId }).orderBy(['lesson_id', 'position']);
export const listBlocks = (db: Db, lessonId: string): Promise<BlockRow[]> =>
  db<BlockRow>('authored_blocks').where({ lesson_id: lessonId }).orderBy('position');
export const findBlock = (db: Db, courseId: string, id: string): Promise<BlockRow | undefined> =>
  db<BlockRow>('authored_blocks').where({ authored_course_id: courseId, id }).first();
export const lockBlock = (db: Db, courseId: string, id: string): Promise<BlockRow | undefined> =>
  db<BlockRow>('authored_blocks').where({ authored_course_id: courseId, id }).forUpdate().first();
export async function insertBlock(
  db: Db,
  b: { courseId: string; lessonId: string; kind: BlockKind; data: object },
): Promise<BlockRow> {
  const [row] = await db('authored_blocks')
    .insert({
      authored_course_id: b.courseId,
      lesson_id: b.lessonId,
      kind: b.kind,
      data: JSON.stringify(b.data),
      position: db('authored_blocks')
        .where({ lesson_id: b.lessonId })
        .select(db.raw('coalesce(max(position), 0) + 1')),
    })
    .returning('*');
  return row as BlockRow;
}
export const updateBlockData = (db: Db, id: string, data: object) =>
  db('authored_blocks')
    .where({ id })
    .update({ data: JSON.stringify(data), updated_at: now(db) });

// ---- ordered rows of any of the three tables ----
export type OrderedTable = 'authored_sections' | 'authored_lessons' | 'authored_blocks';
export const setPosition = (db: Db, table: OrderedTable, id: string, position: number, extra: object = {}) =>
  db(table)
    .where({ id })
    .update({ position, ...extra, updated_at: now(db) });
export const deleteRow = (db: Db, table: OrderedTable, id: string) => db(table).where({ id }).delete();

// ---- files ----
export async function insertFile(db: Db, f: Omit<FileRow, 'size'> & { size: number; uploaded_by: string }) {
  const [row] = await db('authored_files').insert(f).returning('*');
  return row as FileRow;
}
export const findFile = (db: Db, courseId: string, id: string): Promise<FileRow | undefined> =>
  db<FileRow>('authored_files').where({ authored_course_id: courseId, id }).first();
export const findFileById = (db: Db, id: string): Promise<FileRow | undefined> =>
  db<FileRow>('authored_files').where({ id }).first();
export const listFiles = (db: Db, courseId: string, ids: string[]): Promise<FileRow[]> =>
  ids.length
    ? db<FileRow>('authored_files').where({ authored_course_id: courseId }).whereIn('id', ids)
    : Promise.resolve([]);

// ---- versions ----
export async function insertVersion(
  db: Db,
  v: { courseId: string; version: number; snapshot: Snapshot; publishedBy: string },
): Promise<VersionRow> {
  const [row] = await db('authored_versions')
    .insert({
      authored_course_id: v.courseId,
      version: v.version,
      snapshot: JSON.stringify(v.snapshot),
      published_by: v.publishedBy,
    })
    .returning('*');
  return row as VersionRow;
}
export const findVersion = (db: Db, courseId: string, version: number): Promise<VersionRow | undefined> =>
  db<VersionRow>('authored_versions').where({ authored_course_id: courseId, version }).first();
export const listVersions = (
  db: Db,
  courseId: string,
): Promise<Pick<VersionRow, 'version' | 'published_at'>[]> =>
  db('authored_versions')
    .where({ authored_course_id: courseId })
    .orderBy('version', 'desc')
    .select('version', 'published_at');
