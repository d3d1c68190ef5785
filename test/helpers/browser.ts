import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createApp } from '../../src/app.js';
import { startContentServer } from '../../src/content-server.js';
import type { AppContext } from '../../src/platform/context.js';
import type { Database } from '../../src/platform/db.js';
import { createTestDatabase } from './db.js';
import { testConfig } from './config.js';

export const CHROMIUM = '/usr/bin/chromium';

/** Debian's Chromium, never a downloaded browser. */
export function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run does)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface RunningApp {
  url: string;
  ctx: AppContext;
  database: Database;
  close(): Promise<void>;
}

/** The platform listening on a loopback port, as a browser needs it. */
export async function startServer(env: Record<string, string> = {}): Promise<RunningApp> {
  const port = await freePort();
  const database = await createTestDatabase();
  const config = testConfig({ PORT: String(port), PUBLIC_URL: `http://localhost:${port}`, ...env });
  const { app, ctx } = await createApp({ config, db: database.db });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(port, 'localhost', resolve));
  return {
    url: `http://localhost:${port}`,
    ctx,
    database,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await database.close();
    },
  };
}

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** Runs axe-core in the page (through the debugger, so the page's CSP still holds for the page itself). */
export async function seriousA11yViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(o: object): Promise<{ violations: AxeViolation[] }> } })
      .axe;
    const result = await axe.run({
      runOnly: {
        type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'],
      },
    });
    return result.violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Collects CSP violations and page errors, which a strict CSP turns into silent breakage. */
export function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  return problems;
}

/** SCREENSHOTS_DIR=/some/folder: e2e tests save screenshots of their pages there, for a person to look at. */
export const shotsDir = process.env.SCREENSHOTS_DIR;

/** Saves a full-page screenshot as `<name>.png` in SCREENSHOTS_DIR, when it is set. */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (shotsDir) await page.screenshot({ path: path.join(shotsDir, `${name}.png`), fullPage: true });
}

export interface AppWithContent extends RunningApp {
  contentOrigin: string;
}

/** The platform and its content origin (packages), both on loopback ports: localhost and 127.0.0.1 are other sites. */
export async function startServerWithContent(): Promise<AppWithContent> {
  const contentPort = await freePort();
  const contentOrigin = `http://127.0.0.1:${contentPort}`;
  const server = await startServer({ CONTENT_ORIGIN: contentOrigin, CONTENT_PORT: String(contentPort) });
  const content: http.Server = await startContentServer({
    config: server.ctx.config,
    db: server.ctx.db,
    logger: server.ctx.logger,
    port: contentPort,
  });
  return {
    ...server,
    contentOrigin,
    close: async () => {
      content.closeAllConnections();
      await new Promise((r) => content.close(r));
      await server.close();
      fs.rmSync(server.ctx.config.contentDir, { recursive: true, force: true });
    },
  };
}

/** Signs in by the password form, as a person would, and waits for the home page. */
export async function signInAs(page: Page, baseUrl: string, user: { email: string; password: string }) {
  await page.goto(baseUrl + '/signin');
  await page.getByLabel('Email address').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.keyboard.press('Enter');
  await page.waitForURL(baseUrl + '/');
}
