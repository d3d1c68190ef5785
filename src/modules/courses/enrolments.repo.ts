import { randomUUID } from 'node:crypto';
import type { Db } from '../../platform/db.js';
import type { CourseStatus, EnrolmentStatus, Visibility } from './courses.schemas.js';

export interface EnrolmentRow {
  id: string;
  course_id: string;
  user_id: string;
  registration: string;
  status: EnrolmentStatus;
  enrolled_by: string | null;
  enrolled_at: Date;
  completed_at: Date | null;
  withdrawn_at: Date | null;
  withdrawn_by: string | null;
}

/** An enrolment with what its pages show: the course, the learner and who enrolled them. */
export interface EnrolmentView extends EnrolmentRow {
  course_slug: string;
  course_title: string;
  course_status: CourseStatus;
  course_visibility: Visibility;
  course_owner_id: string;
  course_self_enrol: boolean;
  learner_name: string;
  learner_email: string;
  enrolled_by_name: string | null;
}

const view = (db: Db) =>
  db('enrolments as e')
    .join('courses as c', 'c.id', 'e.course_id')
    .join('users as u', 'u.id', 'e.user_id')
    .leftJoin('users as b', 'b.id', 'e.enrolled_by')
    .select(
      'e.*',
      'c.slug as course_slug',
      'c.title as course_title',
      'c.status as course_status',
      'c.visibility as course_visibility',
      'c.owner_id as course_owner_id',
      'c.self_enrol as course_self_enrol',
      'u.name as learner_name',
      'u.email as learner_email',
      'b.name as enrolled_by_name',
    );

export const findEnrolmentView = (db: Db, id: string): Promise<EnrolmentView | undefined> =>
  view(db).where('e.id', id).first();

export const findEnrolment = (db: Db, courseId: string, userId: string): Promise<EnrolmentRow | undefined> =>
  db<EnrolmentRow>('enrolments').where({ course_id: courseId, user_id: userId }).first();

export const listEnrolmentsOfUser = (db: Db, userId: string): Promise<EnrolmentView[]> =>
  view(db).where('e.user_id', userId).orderBy('e.enrolled_at', 'desc');

export async function listEnrolmentsOfCourse(db: Db, courseId: string, f: { limit: number; offset: number }) {
  const [{ count }] = (await db('enrolments')
    .where({ course_id: courseId })
    .count({ count: '*' })) as unknown as [{ count: number | string }];
  const rows: EnrolmentView[] = await view(db)
    .where('e.course_id', courseId)
    .orderByRaw(`case e.status when 'withdrawn' then 1 else 0 end, lower(u.name), e.id`)
    .limit(f.limit)
    .offset(f.offset);
  return { enrolments: rows, total: Number(count) };
}

/**
 * Enrols these learners in one statement: new enrolments get a fresh registration (UUID v4),
 * withdrawn ones become active again with theirs; active and completed ones are left alone.
 * Returns the ids of the learners it enrolled.
 */
export async function enrolLearners(
  db: Db,
  courseId: string,
  userIds: string[],
  enrolledBy: string | null,
): Promise<string[]> {
  if (!userIds.length) return [];
  const inserted: { user_id: string }[] = await db('enrolments')
    .insert(
      userIds.map((userId) => ({
        course_id: courseId,
        user_id: userId,
        registration: randomUUID(),
        status: 'active',
        enrolled_by: enrolledBy,
      })),
    )
    .onConflict(['course_id', 'user_id'])
    .ignore()
    .returning('user_id');
  const back: { user_id: string }[] = await db('enrolments')
    .where({ course_id: courseId, status: 'withdrawn' })
    .whereIn('user_id', userIds)
    .update({
      status: 'active',
      enrolled_by: enrolledBy,
      enrolled_at: db.fn.now(),
      withdrawn_at: null,
      withdrawn_by: null,
      updated_at: db.fn.now(),
    })
    .returning('user_id');
  return [...inserted, ...back].map((r) => r.user_id);
}

export const withdrawEnrolment = (db: Db, id: string, withdrawnBy: string) =>
  db('enrolments').where({ id }).whereNot('status', 'withdrawn').update({
    status: 'withdrawn',
    withdrawn_at: db.fn.now(),
    withdrawn_by: withdrawnBy,
    updated_at: db.fn.now(),
  });

/** Whether any learner is enrolled in the course (not withdrawn). */
export const hasLiveEnrolments = async (db: Db, courseId: string): Promise<boolean> =>
  !!(await db('enrolments').where({ course_id: courseId }).whereNot('status', 'withdrawn').first('id'));

export async function countLiveEnrolmentsOfUser(db: Db, userId: string): Promise<number> {
  const [{ count }] = (await db('enrolments')
    .where({ user_id: userId })
    .whereNot('status', 'withdrawn')
    .count({ count: '*' })) as unknown as [{ count: number | string }];
  return Number(count);
}
