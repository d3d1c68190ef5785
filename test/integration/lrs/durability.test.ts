import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { testDatabaseUrl } from '../../../src/platform/config.js';
import { usingServer, createTestDatabase } from '../../helpers/db.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const KEY = 'durability-key';
const SECRET = 'durability-secret-0123456789';
const AUTH = `Basic ${Buffer.from(`${KEY}:${SECRET}`).toString('base64')}`;
const headers = {
  Authorization: AUTH,
  'X-Experience-API-Version': '2.0.0',
  'Content-Type': 'application/json',
};

function startServer(
  env: Record<string, string>,
  dataDir: string,
): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(here, 'durability-server.ts'),
      '--data',
      dataDir,
      '--key',
      KEY,
      '--secret',
      SECRET,
    ],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /READY (\d+)/.exec(out);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    child.on('exit', (code) => reject(new Error(`server exited (${code}) before it was ready: ${err}`)));
  });
}

describe('durability: nothing acknowledged is lost when the process is killed', function () {
  this.timeout(180_000);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wch-durability-'));
  const env: Record<string, string> = {};
  let child: ChildProcess | undefined;

  before(async () => {
    if (usingServer()) {
      // a fresh database on the server; the child process connects to it by URL
      const d = await createTestDatabase();
      const url = new URL(testDatabaseUrl()!);
      url.pathname = `/${(d.db.client as { database(): string }).database()}`;
      env.DATABASE_URL = url.toString();
      await d.close();
    }
  });
  after(() => {
    child?.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every statement acknowledged with 200/204 across kill -9 and restart', async () => {
    const first = await startServer(env, dataDir);
    child = first.child;
    const base = `http://127.0.0.1:${first.port}/xapi/statements`;
    const registration = randomUUID();
    const acknowledged: string[] = [];
    let stop = false;
    const statement = (i: number) => ({
      actor: { mbox: `mailto:d${i % 7}@example.org` },
      verb: { id: 'http://adlnet.gov/expapi/verbs/experienced' },
      object: { id: `http://ex.org/act/${i % 13}` },
      context: { registration },
    });
    // several clients: batches by POST and single statements by PUT, until the kill
    const client = async (n: number) => {
      for (let i = 0; !stop && i < 10_000; i++) {
        try {
          if (n % 2 === 0) {
            const res = await fetch(base, {
              method: 'POST',
              headers,
              body: JSON.stringify(Array.from({ length: 10 }, (_, k) => statement(i * 10 + k))),
            });
            if (res.status === 200) acknowledged.push(...((await res.json()) as string[]));
          } else {
            const id = randomUUID();
            const res = await fetch(`${base}?statementId=${id}`, {
              method: 'PUT',
              headers,
              body: JSON.stringify(statement(i)),
            });
            if (res.status === 204) acknowledged.push(id);
          }
        } catch {
          return; // the server is gone
        }
      }
    };
    const load = Promise.all([0, 1, 2, 3].map(client));
    while (acknowledged.length < 200) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    stop = true;
    await load;
    await new Promise((r) =>
      child!.exitCode !== null || child!.signalCode !== null ? r(null) : child!.once('exit', r),
    );

    const second = await startServer(env, dataDir);
    child = second.child;
    const found = new Set<string>();
    let url: string | null =
      `http://127.0.0.1:${second.port}/xapi/statements?registration=${registration}&limit=500`;
    while (url) {
      const res: Response = await fetch(url, { headers });
      assert.equal(res.status, 200);
      const body = (await res.json()) as { statements: { id: string }[]; more: string };
      for (const s of body.statements) found.add(s.id);
      url = body.more ? `http://127.0.0.1:${second.port}${body.more}` : null;
    }
    const lost = acknowledged.filter((id) => !found.has(id));
    assert.deepEqual(lost, [], `${lost.length} of ${acknowledged.length} acknowledged statements were lost`);
    assert.ok(acknowledged.length >= 200);
    child.kill('SIGTERM');
  });
});
