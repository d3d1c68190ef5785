import type { Db } from '../../platform/db.js';
import { num } from './reports.repo.js';

// The reports index (/reports): one line per course with its enrolment figures.

export interface ReportCourse {
  id: string;
  title: string;
  slug: string;
  status: string;
  owner_name: string;
  enrolled: number;
  started: number;
  completed: number;
  average_score: number | null;
}

/**
 * One page of courses with their figures. The page's courses are picked first; then each course's current
 * enrolments and their projections are read from covering indexes alone (enrolments_course_current_idx,
 * progress_enrolments_course_idx), rather than joining every enrolment's rows and then keeping one page.
 */
export async function reportCourses(db: Db, o: { ownerId?: string; limit: number; offset: number }) {
  const courses = db('courses');
  if (o.ownerId) courses.where('owner_id', o.ownerId);
  const [{ n }] = (await courses.clone().count({ n: '*' })) as unknown as [{ n: string | number }];
  const page = courses
    .select('id', 'title', 'slug', 'status', 'owner_id')
    .orderByRaw('lower(title), id')
    .limit(o.limit)
    .offset(o.offset);
  const rows = (await db
    .from(page.as('c'))
    .join('users as u', 'u.id', 'c.owner_id')
    .joinRaw(
      `cross join lateral (select count(*) as enrolled, count(pe.enrolment_id) as started,
        count(*) filter (where pe.completed) as completed, avg(pe.score) as average_score
      from enrolments e left join progress_enrolments pe on pe.enrolment_id = e.id and pe.course_id = c.id
      where e.course_id = c.id and e.status <> 'withdrawn') as f`,
    )
    .orderByRaw('lower(c.title), c.id')
    .select(
      'c.id',
      'c.title',
      'c.slug',
      'c.status',
      'u.name as owner_name',
      'f.enrolled',
      'f.started',
      'f.completed',
      'f.average_score',
    )) as ReportCourse[];
  return {
    rows: rows.map((r) => ({
      ...r,
      enrolled: Number(r.enrolled),
      started: Number(r.started),
      completed: Number(r.completed),
      average_score: num(r.average_score),
    })),
    total: Number(n),
  };
}
