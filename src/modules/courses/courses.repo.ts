import type { Db } from '../../platform/db.js';
import type { Language } from '../../platform/i18n.js';
import type { CourseStatus, Visibility } from './courses.schemas.js';

export interface CourseRow {
  id: string;
  slug: string;
  title: string;
  description: string;
  language: Language;
  owner_id: string;
  status: CourseStatus;
  visibility: Visibility;
  self_enrol: boolean;
  published_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface CourseListRow extends CourseRow {
  owner_name: string;
  owner_email: string;
  activity_count: number;
  enrolment_count: number;
}

export type NewCourse = Pick<
  CourseRow,
  'slug' | 'title' | 'description' | 'language' | 'owner_id' | 'visibility' | 'self_enrol'
> & { status?: CourseStatus };

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => '\\' + c);

const withCounts = (db: Db) =>
  db('courses as c')
    .join('users as o', 'o.id', 'c.owner_id')
    .select(
      'c.*',
      'o.name as owner_name',
      'o.email as owner_email',
      db('activities as a').count('*').whereRaw('a.course_id = c.id').as('activity_count'),
      db('enrolments as e')
        .count('*')
        .whereRaw('e.course_id = c.id')
        .whereNot('e.status', 'withdrawn')
        .as('enrolment_count'),
    );

const numbers = (rows: CourseListRow[]) =>
  rows.map((r) => ({
    ...r,
    activity_count: Number(r.activity_count),
    enrolment_count: Number(r.enrolment_count),
  }));

export const findCourseById = async (db: Db, id: string): Promise<CourseListRow | undefined> => {
  const row = (await withCounts(db).where('c.id', id).first()) as CourseListRow | undefined;
  return row && numbers([row])[0];
};

export const findCourseBySlug = async (db: Db, slug: string): Promise<CourseListRow | undefined> => {
  const row = (await withCounts(db).where('c.slug', slug).first()) as CourseListRow | undefined;
  return row && numbers([row])[0];
};

export async function insertCourse(db: Db, c: NewCourse): Promise<CourseRow> {
  const [row] = await db('courses')
    .insert({ ...c, published_at: c.status === 'published' ? db.fn.now() : null })
    .returning('*');
  return row as CourseRow;
}

export const updateCourse = (
  db: Db,
  id: string,
  patch: Partial<Omit<NewCourse, 'status'>> & { status?: CourseStatus; published_at?: unknown },
) =>
  db('courses')
    .where({ id })
    .update({ ...patch, updated_at: db.fn.now() });

/** Locks the course row so that concurrent changes to its activities run one after the other. */
export const lockCourse = (db: Db, id: string) => db('courses').where({ id }).forUpdate().first('id');

export interface CatalogueFilter {
  search?: string;
  language?: Language;
  includeMembersOnly: boolean;
  limit: number;
  offset: number;
}

export async function listCatalogue(db: Db, f: CatalogueFilter) {
  const base = db('courses as c')
    .where('c.status', 'published')
    .modify((q) => {
      if (!f.includeMembersOnly) q.where('c.visibility', 'public');
      if (f.language) q.where('c.language', f.language);
      if (f.search) q.whereILike('c.title', `%${escapeLike(f.search)}%`);
    });
  const [{ count }] = (await base.clone().count({ count: '*' })) as unknown as [{ count: number | string }];
  const rows = (await withCounts(db)
    .whereIn('c.id', base.clone().select('c.id'))
    .orderByRaw('lower(c.title), c.id')
    .limit(f.limit)
    .offset(f.offset)) as CourseListRow[];
  return { courses: numbers(rows), total: Number(count) };
}

/** The Teaching list: one owner's courses, or every course when ownerId is not given. */
export async function listTeachCourses(db: Db, f: { ownerId?: string; limit: number; offset: number }) {
  const base = db('courses as c').modify((q) => {
    if (f.ownerId) q.where('c.owner_id', f.ownerId);
  });
  const [{ count }] = (await base.clone().count({ count: '*' })) as unknown as [{ count: number | string }];
  const rows = (await withCounts(db)
    .modify((q) => {
      if (f.ownerId) q.where('c.owner_id', f.ownerId);
    })
    .orderByRaw(`case c.status when 'draft' then 0 when 'published' then 1 else 2 end, lower(c.title), c.id`)
    .limit(f.limit)
    .offset(f.offset)) as CourseListRow[];
  return { courses: numbers(rows), total: Number(count) };
}

export async function countCoursesOwnedBy(db: Db, userId: string): Promise<number> {
  const [{ count }] = (await db('courses')
    .where({ owner_id: userId })
    .whereNot('status', 'archived')
    .count({ count: '*' })) as unknown as [{ count: number | string }];
  return Number(count);
}
