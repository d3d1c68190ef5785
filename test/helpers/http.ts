import supertest from 'supertest';
import type { Express } from 'express';
import { createApp } from '../../src/app.js';
import type { Database, Db } from '../../src/platform/db.js';
import type { AppContext } from '../../src/platform/context.js';
import { createTestDatabase } from './db.js';
import { testConfig } from './config.js';

export type Agent = ReturnType<typeof supertest.agent>;

export interface TestApp {
  app: Express;
  ctx: AppContext;
  database: Database;
  close(): Promise<void>;
}

export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const { app, ctx } = await createApp({ config: testConfig(env), db: database.db });
  return { app, ctx, database, close: () => database.close() };
}

/** The platform behind an HTTPS proxy (send `X-Forwarded-Proto: https`): Secure, __Host- cookies. */
export const startHttpsTestApp = () =>
  startTestApp({
    PUBLIC_URL: 'https://learn.example.org',
    CONTENT_ORIGIN: 'https://content.example.net',
    TRUST_PROXY: 'true',
  });

/** The CSRF token of a form page, read as a browser would. */
export async function csrfFrom(agent: Agent, path: string): Promise<string> {
  const res = await agent.get(path);
  const m = /name="_csrf" value="([^"]+)"/.exec(res.text);
  if (!m) throw new Error(`no CSRF token on ${path} (status ${res.status})`);
  return m[1]!;
}

/** Posts a form the way a browser would: with the token of the page it came from. */
export async function postForm(
  agent: Agent,
  formPage: string,
  action: string,
  fields: Record<string, unknown>,
) {
  const _csrf = await csrfFrom(agent, formPage);
  return agent
    .post(action)
    .type('form')
    .send({ ...fields, _csrf });
}

export async function signIn(app: Express, email: string, password: string): Promise<Agent> {
  const agent = supertest.agent(app);
  const res = await postForm(agent, '/signin', '/signin', { email, password });
  if (res.status !== 303) throw new Error(`sign-in of ${email} failed with ${res.status}`);
  return agent;
}

/**
 * The newest audit entry of `event` about `email` once there are `count` of them: forms that mail links do
 * their work after answering (so that their timing tells nothing) and write this entry when done.
 */
export async function auditedFor(
  db: Db,
  event: string,
  email: string,
  count = 1,
): Promise<{ details: { outcome?: string } }> {
  for (let waited = 0; waited < 10_000; waited += 20) {
    const rows = await db('audit_events')
      .where({ event })
      .whereRaw(`lower(details->>'email') = lower(?)`, [email])
      .orderBy('id', 'desc');
    if (rows.length >= count) return rows[0] as { details: { outcome?: string } };
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`fewer than ${count} ${event} audit entries for ${email} after 10 s`);
}

/** Supertest parser that keeps a binary answer (PDF, XLSX) whole: `.buffer(true).parse(binaryBody)`. */
export function binaryBody(
  res: { on(event: string, fn: (chunk: Buffer) => void): void },
  cb: (err: Error | null, body: Buffer) => void,
) {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}
