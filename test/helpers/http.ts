import supertest from 'supertest';
import type { Express } from 'express';
import { createApp } from '../../src/app.js';
import type { Database } from '../../src/platform/db.js';
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
