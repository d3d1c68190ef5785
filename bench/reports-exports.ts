/**
 * Export memory for `npm run bench:reports`: the platform runs alone in a child process (reports-server.ts); each
 * export is downloaded here and dropped chunk by chunk. Its peak RSS growth is the kernel's peak (VmHWM, reset to
 * the current RSS through /proc/<pid>/clear_refs just before) minus the RSS before the download: what the export
 * added at its worst, not a sample that could miss it.
 */
import { startChild } from './child-server.js';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { COORDINATOR } from './reports-data.js';

export type Get = (path: string) => Promise<Response>;

/** A signed-in coordinator of the bench data set, as a browser: cookies kept, the sign-in form's CSRF token. */
export async function coordinatorSession(base: string): Promise<Get> {
  const cookies = new Map<string, string>();
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [k, v] = pair!.split('=');
      cookies.set(k!, v!);
    }
  };
  const cookie = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const get: Get = async (p) => {
    const res = await fetch(base + p, { headers: { cookie: cookie() }, redirect: 'manual' });
    keep(res);
    return res;
  };
  const form = await (await get('/signin')).text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form)![1]!;
  const signin = await fetch(base + '/signin', {
    method: 'POST',
    headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email: COORDINATOR.email, password: COORDINATOR.password, _csrf: csrf }),
    redirect: 'manual',
  });
  keep(signin);
  if (signin.status !== 303) throw new Error(`sign-in failed: ${signin.status}`);
  return get;
}

const MB = 2 ** 20;
function memoryOf(pid: number): { rss: number; hwm: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
  return { rss: (kb('VmRSS') * 1024) / MB, hwm: (kb('VmHWM') * 1024) / MB };
}

const startServer = (databaseUrl: string) =>
  startChild(path.join(path.dirname(fileURLToPath(import.meta.url)), 'reports-server.ts'), {
    env: { DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' },
  });

export interface ExportMeasure {
  what: string;
  /** download times, ms, sorted */
  times: number[];
  bytes: number;
  lines: number;
  /** the platform's RSS before the first download, MiB */
  rssBefore: number;
  /** the platform's peak RSS over the downloads, and its largest growth during one of them, MiB */
  peak: number;
  growth: number;
}

/** Each export `runs` times after one warm-up, from a fresh platform process. */
export async function measureExports(
  databaseUrl: string,
  exports: { what: string; path: string }[],
  runs: number,
): Promise<ExportMeasure[]> {
  const { child, port } = await startServer(databaseUrl);
  const pid = child.pid!;
  try {
    const get = await coordinatorSession(`http://127.0.0.1:${port}`);
    const out: ExportMeasure[] = [];
    for (const e of exports) {
      const m: ExportMeasure = {
        what: e.what,
        times: [],
        bytes: 0,
        lines: 0,
        rssBefore: 0,
        peak: 0,
        growth: 0,
      };
      for (let i = 0; i <= runs; i++) {
        const before = memoryOf(pid).rss;
        fs.writeFileSync(`/proc/${pid}/clear_refs`, '5'); // VmHWM := current RSS
        const t0 = performance.now();
        const res = await get(e.path);
        if (res.status !== 200) throw new Error(`${e.path} answered ${res.status}`);
        let bytes = 0;
        let lines = 0;
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          bytes += chunk.byteLength;
          for (const b of chunk) if (b === 10) lines++;
        }
        const ms = performance.now() - t0;
        const { hwm } = memoryOf(pid);
        if (i === 0) {
          m.rssBefore = before;
          continue; // warm-up
        }
        m.times.push(ms);
        m.bytes = bytes;
        m.lines = lines;
        m.peak = Math.max(m.peak, hwm);
        m.growth = Math.max(m.growth, hwm - before);
      }
      m.times.sort((a, b) => a - b);
      out.push(m);
    }
    return out;
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}
