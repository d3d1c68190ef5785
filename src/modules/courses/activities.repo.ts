import type { Db } from '../../platform/db.js';

/** An ordered step of a course; `content_ref` points at the content in the tables of its kind. */
export interface ActivityRow {
  id: string;
  course_id: string;
  kind: string;
  title: string;
  position: number;
  content_ref: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
}

export interface PageRow {
  id: string;
  course_id: string;
  body: string;
}

export const listActivities = (db: Db, courseId: string): Promise<ActivityRow[]> =>
  db<ActivityRow>('activities').where({ course_id: courseId }).orderBy('position');

/** Always scoped by course, so an activity id from another course is not found. */
/** The first activity of each course (by position). */
export async function firstActivityOf(db: Db, courseIds: string[]): Promise<Map<string, string>> {
  if (!courseIds.length) return new Map();
  const rows = (await db('activities')
    .distinctOn('course_id')
    .whereIn('course_id', courseIds)
    .orderBy([{ column: 'course_id' }, { column: 'position' }])
    .select('course_id', 'id')) as { course_id: string; id: string }[];
  return new Map(rows.map((r) => [r.course_id, r.id]));
}

export const findActivity = (db: Db, courseId: string, id: string): Promise<ActivityRow | undefined> =>
  db<ActivityRow>('activities').where({ course_id: courseId, id }).first();

export async function insertActivity(
  db: Db,
  a: { courseId: string; kind: string; title: string; contentRef: Record<string, unknown> },
): Promise<ActivityRow> {
  const [row] = await db('activities')
    .insert({
      course_id: a.courseId,
      kind: a.kind,
      title: a.title,
      content_ref: JSON.stringify(a.contentRef),
      position: db('activities')
        .where({ course_id: a.courseId })
        .select(db.raw('coalesce(max(position), 0) + 1')),
    })
    .returning('*');
  return row as ActivityRow;
}

export const updateActivity = (db: Db, id: string, patch: { title?: string; position?: number }) =>
  db('activities')
    .where({ id })
    .update({ ...patch, updated_at: db.fn.now() });

export const deleteActivity = (db: Db, id: string) => db('activities').where({ id }).delete();

/** The activity just before (up) or after (down) this position, if any. */
export const neighbour = (
  db: Db,
  courseId: string,
  position: number,
  direction: 'up' | 'down',
): Promise<ActivityRow | undefined> =>
  db<ActivityRow>('activities')
    .where({ course_id: courseId })
    .where('position', direction === 'up' ? '<' : '>', position)
    .orderBy('position', direction === 'up' ? 'desc' : 'asc')
    .first();

export async function insertPage(db: Db, p: { courseId: string; body: string }): Promise<PageRow> {
  const [row] = await db('pages').insert({ course_id: p.courseId, body: p.body }).returning('*');
  return row as PageRow;
}

export const findPage = (db: Db, courseId: string, id: string): Promise<PageRow | undefined> =>
  db<PageRow>('pages').where({ course_id: courseId, id }).first();

export const updatePage = (db: Db, id: string, body: string) =>
  db('pages').where({ id }).update({ body, updated_at: db.fn.now() });

export const deletePage = (db: Db, id: string) => db('pages').where({ id }).delete();
