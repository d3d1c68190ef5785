// PLACEHOLDER: being built (courses, catalogue, enrolment, My learning).
import { Router } from 'express';
import type { AppContext } from '../../platform/context.js';
import type { Db } from '../../platform/db.js';
import type { SessionUser } from '../../platform/http/types.js';

export const coursesRoutes = (_ctx: AppContext) => Router();
export const homeSummary = async (db: Db, _user: SessionUser) => {
  const [{ count }] = (await db('users').count({ count: '*' })) as unknown as [{ count: number }];
  return { enrolments: 0, ownCourses: 0, groups: 0, users: Number(count) };
};
export const seedDemoCourses = async (
  _db: Db,
  _ids: { trainerId: string; learnerId: string; coordinatorId: string },
) => {};
