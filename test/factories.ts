import { randomBytes } from 'node:crypto';
import type { Db } from '../src/platform/db.js';
import type { Role } from '../src/platform/http/types.js';
import { createUser, type UserWithRoles } from '../src/modules/accounts/index.js';

export const DEFAULT_PASSWORD = 'correct horse battery staple';

export async function buildUser(
  db: Db,
  o: {
    roles?: Role[];
    email?: string;
    name?: string;
    password?: string;
    language?: 'en' | 'de' | 'fr' | 'nl';
  } = {},
): Promise<UserWithRoles & { password: string }> {
  const tag = randomBytes(4).toString('hex');
  const password = o.password ?? DEFAULT_PASSWORD;
  const user = await createUser(db, {
    email: o.email ?? `user-${tag}@example.org`,
    name: o.name ?? `User ${tag}`,
    password,
    roles: o.roles ?? ['learner'],
    language: o.language,
  });
  return { ...user, password };
}
