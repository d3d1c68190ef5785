import { spawn, type ChildProcess } from 'node:child_process';
import type { Server } from 'node:http';
import type { Express } from 'express';
import type { Database } from '../src/platform/db.js';

// The benches run the platform in a child process of its own (its CPU and memory measured apart from the
// clients'): the child announces `READY <port>` once it listens, and closes cleanly on SIGTERM.

/** Starts `node [nodeArgs] --import tsx <entry> [args]` and resolves with its port once it is ready. */
export function startChild(
  entry: string,
  o: { args?: string[]; nodeArgs?: string[]; env?: NodeJS.ProcessEnv; onOutput?: (c: Buffer) => void } = {},
): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(
    process.execPath,
    [...(o.nodeArgs ?? []), '--import', 'tsx', entry, ...(o.args ?? [])],
    {
      env: { ...process.env, ...o.env },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    const ready = (c: Buffer) => {
      out += c.toString();
      const m = /READY (\d+)/.exec(out);
      if (!m) return;
      resolve({ child, port: Number(m[1]) });
      child.stdout!.off('data', ready);
      if (o.onOutput) child.stdout!.on('data', o.onOutput);
    };
    child.stdout!.on('data', ready);
    child.on('exit', (code) => reject(new Error(`bench server exited (${code})`)));
  });
}

/** In the child: listens on a loopback port, says `READY <port>`, and closes app and database on SIGTERM. */
export function serveForBench(app: Express, database: Database): Server {
  const server = app.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.stdout.write(`READY ${typeof address === 'object' && address ? address.port : 0}\n`);
  });
  process.on('SIGTERM', () => {
    server.closeAllConnections();
    server.close(() => void database.close().then(() => process.exit(0)));
  });
  return server;
}
