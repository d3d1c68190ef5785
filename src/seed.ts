import { randomBytes } from 'node:crypto';
import type { Db } from './platform/db.js';
import type { Role } from './platform/http/types.js';
import { createUser } from './modules/accounts/index.js';
import { seedDemoCourses } from './modules/courses/index.js';
import { seedGettingStarted } from './modules/authoring/index.js';
import { loadConfig, type Config } from './platform/config.js';

const DEMO_USERS: { email: string; name: string; roles: Role[] }[] = [
  { email: 'admin@demo.workcoophub.test', name: 'Ada Admin', roles: ['admin'] },
  { email: 'coordinator@demo.workcoophub.test', name: 'Cora Coordinator', roles: ['coordinator'] },
  { email: 'trainer@demo.workcoophub.test', name: 'Tomás Trainer', roles: ['trainer'] },
  { email: 'learner@demo.workcoophub.test', name: 'Lena Learner', roles: ['learner'] },
];

/**
 * Fills an empty database with demo users (one per role) and demo content.
 * Returns the text to print once (the passwords), or null when the database already had users.
 */
export async function seedDemo(
  db: Db,
  config?: Pick<Config, 'contentDir' | 'publicUrl'>,
): Promise<string | null> {
  const [{ count }] = (await db('users').count({ count: '*' })) as unknown as [{ count: number | string }];
  if (Number(count) > 0) return null;
  const lines = ['', 'Demo accounts (shown once; change or disable them before real use):', ''];
  const ids: Record<string, string> = {};
  for (const u of DEMO_USERS) {
    const password = randomBytes(9).toString('base64url');
    const user = await createUser(db, { ...u, password });
    ids[u.roles[0]!] = user.id;
    lines.push(`  ${u.roles[0]!.padEnd(12)} ${u.email.padEnd(36)} ${password}`);
  }
  await seedDemoCourses(db, {
    trainerId: ids.trainer!,
    learnerId: ids.learner!,
    coordinatorId: ids.coordinator!,
  });
  await seedGettingStarted(db, config ?? loadConfig(), ids.trainer!);
  return lines.join('\n') + '\n';
}
