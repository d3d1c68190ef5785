import { randomBytes } from 'node:crypto';
import type { Db } from './db.js';

/** A secret the platform keeps for itself: made once, then read back by every process. */
export async function platformSecret(db: Db, name: string): Promise<string> {
  await db('platform_secrets')
    .insert({ name, value: randomBytes(48).toString('base64url') })
    .onConflict('name')
    .ignore();
  const row = await db('platform_secrets').where({ name }).first('value');
  return (row as { value: string }).value;
}
