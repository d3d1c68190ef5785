import type { Db } from '../../platform/db.js';

export interface LaunchRow {
  id: string;
  token_hash: string;
  activity_id: string;
  user_id: string;
  registration: string;
  preview: boolean;
  package_id: string;
  package_version: number;
  language: string;
  expires_at: Date;
  created_at: Date;
}

export async function insertLaunch(db: Db, l: Omit<LaunchRow, 'id' | 'created_at'>): Promise<LaunchRow> {
  const [row] = await db('h5p_launches').insert(l).returning('*');
  return row as LaunchRow;
}

/** A launch by its token's hash, while it has not expired. */
export const findLiveLaunch = (db: Db, tokenHash: string): Promise<LaunchRow | undefined> =>
  db<LaunchRow>('h5p_launches')
    .where({ token_hash: tokenHash })
    .andWhere('expires_at', '>', db.fn.now())
    .first();

/** The package version the registration's attempt started on, if it was launched before. */
export async function attemptVersion(
  db: Db,
  activityId: string,
  registration: string,
): Promise<{ package_id: string; package_version: number } | undefined> {
  return db('h5p_launches')
    .where({ activity_id: activityId, registration, preview: false })
    .orderBy('created_at', 'asc')
    .first('package_id', 'package_version');
}

export const deleteExpiredLaunches = (db: Db, before: Date) =>
  db('h5p_launches').where('expires_at', '<', before).delete();
