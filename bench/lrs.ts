/**
 * `npm run bench:lrs [-- --quick | --full]`: the LRS's speed on this machine against the PostgreSQL
 * server of DATABASE_URL (a throw-away database, e.g. wch_bench, created anew and dropped after). The platform runs in a child process; the clients here speak HTTP over loopback with
 * keep-alive; the raw rate is a bare pg client running the same prepared
 * INSERT … SELECT FROM jsonb_array_elements($1) into the same tables.
 */
import { startChild } from './child-server.js';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import http from 'node:http';
import { throwawayDb } from './throwaway-db.js';
import { insertSql } from '../src/modules/lrs/statements.repo.js';
import {
  CATEGORY,
  SHAPE,
  VERBS,
  agentOf,
  courseIri,
  insertRowOf,
  registrationOf,
  scoIri,
  scormStatement,
} from './lrs-data.js';

const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
const full = args.has('--full');
// --only batch|single|query: one part alone (for profiling with --profile DIR)
const only = process.argv[process.argv.indexOf('--only') + 1];
const runs = (part: string) => !args.has('--only') || only === part;
// --node-flags "…": V8/Node flags for the platform process (e.g. --max-semi-space-size=32)
const nodeFlags = args.has('--node-flags')
  ? process.argv[process.argv.indexOf('--node-flags') + 1]!.split(' ').filter(Boolean)
  : [];
const DATASET = quick ? 10_000 : full ? 1_000_000 : 100_000;
const INGEST = quick ? 10_000 : 30_000; // statements per batch-ingest measurement
const SINGLES = quick ? 2_000 : 8_000; // statements per single-POST measurement
const QUERIES = quick ? 60 : 200; // requests per query shape
const ROUNDS = 3; // alternating raw / LRS rounds per ingest measurement
const here = path.dirname(fileURLToPath(import.meta.url));

// DATABASE_URL naming a database "…bench" is used (dropped and created anew); any other gets "<name>_lrsbench".
const bench = throwawayDb('lrsbench');
const benchUrl = bench.url;
const benchDb = bench.name;

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};
const fmt = (n: number, d = 0) => n.toFixed(d);
const log = (s: string) => process.stderr.write(`${s}\n`);

/** CPU seconds used so far by a process (Linux /proc), or 0 where it cannot be read. */
function cpuOf(pid: number): number {
  try {
    const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // utime + stime, in ticks of 10 ms
  } catch {
    return 0;
  }
}

/** CPU seconds of the PostgreSQL backends serving the bench database. */
function pgCpu(): number {
  let total = 0;
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(` ${benchDb} `))
        total += cpuOf(Number(pid));
    } catch {
      /* gone */
    }
  }
  return total;
}

/** Where the CPU went during `run`: microseconds per statement in the platform, PostgreSQL and this client. */
async function measured<T extends { rate: number; p95: number; pgSeconds?: number }>(
  serverPid: number,
  statements: number,
  run: () => Promise<T>,
): Promise<T & { cpu: string }> {
  const before = { server: serverPid ? cpuOf(serverPid) : 0, pg: pgCpu(), client: process.cpuUsage() };
  const out = await run();
  const client = process.cpuUsage(before.client);
  const us = (sec: number) => ((sec * 1e6) / statements).toFixed(0);
  const cpu = `platform ${serverPid ? us(cpuOf(serverPid) - before.server) : '-'} µs, PostgreSQL ${us(out.pgSeconds ?? pgCpu() - before.pg)} µs, client ${us((client.user + client.system) / 1e6)} µs`;
  return { ...out, cpu };
}

async function truncate(): Promise<void> {
  const c = new pg.Client({ connectionString: benchUrl });
  await c.connect();
  await c.query('truncate statement_related, lrs_forward_queue, statements restart identity cascade');
  await c.query('vacuum analyze statements, statement_related');
  await c.end();
}

/** Runs `work(i)` for i in 0..total-1 over `concurrency` workers; returns elapsed seconds. */
async function runConcurrent(
  total: number,
  concurrency: number,
  work: (i: number, worker: number) => Promise<void>,
) {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      for (let i = next++; i < total; i = next++) await work(i, w);
    }),
  );
  return (performance.now() - t0) / 1000;
}

/** The raw limit: bare pg clients, one named prepared statement, the same SQL and payloads. */
async function rawIngest(
  payloads: string[],
  perPayload: number,
  concurrency: number,
): Promise<{ rate: number; p95: number; lat: number[]; pgSeconds: number }> {
  const clients = await Promise.all(
    Array.from({ length: concurrency }, async () => {
      const c = new pg.Client({ connectionString: benchUrl });
      await c.connect();
      return c;
    }),
  );
  const text = insertSql(false);
  const lat: number[] = [];
  const pg0 = pgCpu();
  const secs = await runConcurrent(payloads.length, concurrency, async (i, w) => {
    const t = performance.now();
    await clients[w]!.query({ name: 'lrs_insert', text, values: [payloads[i]] });
    lat.push(performance.now() - t);
  });
  const pgSeconds = pgCpu() - pg0; // measured while its backends still exist
  await Promise.all(clients.map((c) => c.end()));
  return { rate: (payloads.length * perPayload) / secs, p95: percentile(lat, 95), lat, pgSeconds };
}

function startServer(key: string, secret: string): Promise<{ child: ChildProcess; port: number }> {
  // --profile DIR: a V8 CPU profile of the platform process, to see where its time goes
  const profile = process.argv.indexOf('--profile');
  const prof = profile > 0 ? ['--cpu-prof', `--cpu-prof-dir=${process.argv[profile + 1]}`] : [];
  return startChild(path.join(here, 'lrs-server.ts'), {
    args: ['--key', key, '--secret', secret],
    nodeArgs: [...prof, ...nodeFlags],
    env: { DATABASE_URL: benchUrl, LOG_LEVEL: 'silent' },
  });
}

async function main(): Promise<void> {
  log(
    `LRS bench: data set ${DATASET.toLocaleString('en')} statements${quick ? ' (--quick)' : full ? ' (--full)' : ''}`,
  );
  await bench.recreate();
  const d = await bench.open();
  const version = ((await d.db.raw('show server_version')) as { rows: { server_version: string }[] }).rows[0]!
    .server_version;
  await d.close();

  const key = `bench-${randomBytes(4).toString('hex')}`;
  const secret = randomBytes(24).toString('hex');
  const { child, port } = await startServer(key, secret);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  /** One HTTP request over a kept-alive loopback connection. */
  const request = (method: string, url: string, body?: string) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = http.request(url, { method, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
      });
      req.on('error', reject);
      req.end(body);
    });
  const headers = {
    Authorization: `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`,
    'X-Experience-API-Version': '2.0.0',
    'Content-Type': 'application/json',
  };
  const endpoint = `http://127.0.0.1:${port}/xapi/statements`;
  const post = async (body: string) => {
    const res = await request('POST', endpoint, body);
    if (res.status !== 200) throw new Error(`POST answered ${res.status}: ${res.text.slice(0, 300)}`);
  };
  const get = async (url: string): Promise<string> => {
    const res = await request('GET', url);
    if (res.status !== 200) throw new Error(`GET answered ${res.status}: ${res.text.slice(0, 300)}`);
    return res.text; // timed as the server answers: parsing it is the client's business
  };
  const getParsed = async (url: string) =>
    JSON.parse(await get(url)) as { statements: unknown[]; more: string };

  try {
    const sample = JSON.stringify(scormStatement(1));
    log(`statement size: ${sample.length} bytes`);
    const stored = () => new Date().toISOString();

    /**
     * Raw and LRS in alternating rounds (raw, LRS, raw, LRS, …) so that a change of load on the
     * machine hits both alike; the rates are the medians of the rounds.
     */
    type Result = { rate: number; p95: number; cpu: string; ratio?: number };
    const compare = async (
      name: string,
      raw: string[],
      http: string[],
      perPayload: number,
      concurrency: number,
    ): Promise<[Result, Result]> => {
      const size = Math.ceil(raw.length / ROUNDS);
      const rawRates: number[] = [];
      const appRates: number[] = [];
      const rawLat: number[] = [];
      const appLat: number[] = [];
      const ratios: number[] = [];
      let rawCpu = '';
      let appCpu = '';
      await truncate();
      await rawIngest(raw.slice(0, concurrency), perPayload, concurrency); // warm-up
      await runConcurrent(concurrency, concurrency, (i) => post(http[i]!));
      for (let round = 0; round < ROUNDS; round++) {
        const part = (xs: string[]) => xs.slice(round * size, (round + 1) * size);
        await truncate();
        const r = await measured(0, size * perPayload, () => rawIngest(part(raw), perPayload, concurrency));
        rawRates.push(r.rate);
        rawLat.push(...r.lat);
        rawCpu = r.cpu;
        await truncate();
        const bodies = part(http);
        const a = await measured(child.pid!, size * perPayload, async () => {
          const lat: number[] = [];
          const secs = await runConcurrent(bodies.length, concurrency, async (i) => {
            const t = performance.now();
            await post(bodies[i]!);
            lat.push(performance.now() - t);
          });
          return { rate: (bodies.length * perPayload) / secs, p95: 0, lat } as {
            rate: number;
            p95: number;
            lat: number[];
            pgSeconds?: number;
          };
        });
        appRates.push(a.rate);
        appLat.push(...a.lat);
        appCpu = a.cpu;
        ratios.push(a.rate / r.rate);
        log(
          `${name} round ${round + 1}: raw ${fmt(r.rate)} st/s, LRS ${fmt(a.rate)} st/s (${(a.rate / r.rate).toFixed(2)})`,
        );
      }
      return [
        { rate: percentile(rawRates, 50), p95: percentile(rawLat, 95), cpu: rawCpu },
        {
          rate: percentile(appRates, 50),
          p95: percentile(appLat, 95),
          cpu: appCpu,
          ratio: percentile(ratios, 50),
        },
      ];
    };

    // ---- batch ingest: 100 statements per request, 4 clients
    let rawBatch: Result = { rate: 0, p95: 0, cpu: '' };
    let appBatch: Result = { rate: 0, p95: 0, cpu: '' };
    if (runs('batch')) {
      const batches = INGEST / 100;
      const httpBatches = Array.from({ length: batches }, (_, b) =>
        JSON.stringify(Array.from({ length: 100 }, (_, k) => scormStatement(b * 100 + k))),
      );
      const rawBatches = Array.from({ length: batches }, (_, b) =>
        JSON.stringify(
          Array.from({ length: 100 }, (_, k) => insertRowOf(scormStatement(b * 100 + k), stored())),
        ),
      );
      [rawBatch, appBatch] = await compare('batch', rawBatches, httpBatches, 100, 4);
      log(`batch CPU per statement: raw ${rawBatch.cpu}; LRS ${appBatch.cpu}`);
    }

    // ---- single statements: 16 clients
    let rawSingle: Result = { rate: 0, p95: 0, cpu: '' };
    let appSingle: Result = { rate: 0, p95: 0, cpu: '' };
    if (runs('single')) {
      const singles = Array.from({ length: SINGLES }, (_, i) => JSON.stringify(scormStatement(i)));
      const rawSingles = Array.from({ length: SINGLES }, (_, i) =>
        JSON.stringify([insertRowOf(scormStatement(i), stored())]),
      );
      [rawSingle, appSingle] = await compare('single', rawSingles, singles, 1, 16);
      log(`single CPU per statement: raw ${rawSingle.cpu}; LRS ${appSingle.cpu}`);
    }

    // ---- the query data set, loaded by the raw path over a spread of stored times
    const queryRows: [string, number, number][] = [];
    if (runs('query')) {
      await truncate();
      const loadClients = await Promise.all(
        [0, 1].map(async () => {
          const c = new pg.Client({ connectionString: benchUrl });
          await c.connect();
          return c;
        }),
      );
      const start = Date.now() - 30 * 24 * 3600_000;
      const step = (30 * 24 * 3600_000) / DATASET;
      const LOAD_BATCH = 1000;
      let rnd = 42;
      const seeded = () => (rnd = (rnd * 1103515245 + 12345) % 2147483648) / 2147483648;
      const t0 = performance.now();
      await runConcurrent(Math.ceil(DATASET / LOAD_BATCH), 2, async (b, w) => {
        const rows = Array.from({ length: Math.min(LOAD_BATCH, DATASET - b * LOAD_BATCH) }, (_, k) => {
          const i = b * LOAD_BATCH + k;
          return insertRowOf(scormStatement(i, seeded), new Date(start + i * step).toISOString());
        });
        await loadClients[w]!.query({
          name: 'lrs_insert',
          text: insertSql(false),
          values: [JSON.stringify(rows)],
        });
        if (b % 100 === 0) log(`  loaded ${(b * LOAD_BATCH).toLocaleString('en')}`);
      });
      await loadClients[0]!.query('vacuum analyze statements, statement_related');
      await Promise.all(loadClients.map((c) => c.end()));
      log(`loaded ${DATASET.toLocaleString('en')} statements in ${fmt((performance.now() - t0) / 1000)} s`);

      const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)]!;
      const q = (params: Record<string, string>) =>
        `${endpoint}?${new URLSearchParams({ limit: '100', ...params }).toString()}`;
      const middle = new Date(start + 0.9 * DATASET * step).toISOString();
      const agentParam = () => JSON.stringify(agentOf(Math.floor(Math.random() * SHAPE.agents)));
      const shapes: [string, () => Promise<unknown>][] = [
        ['by agent', () => get(q({ agent: agentParam() }))],
        [
          'by activity',
          () =>
            get(
              q({
                activity: scoIri(
                  Math.floor(Math.random() * SHAPE.courses),
                  Math.floor(Math.random() * SHAPE.scosPerCourse),
                ),
              }),
            ),
        ],
        ['by verb + since', () => get(q({ verb: pick(VERBS), since: middle }))],
        [
          'by registration',
          () =>
            get(
              q({
                registration: registrationOf(
                  Math.floor(Math.random() * SHAPE.agents),
                  Math.floor(Math.random() * SHAPE.registrationsPerAgent),
                ),
              }),
            ),
        ],
        [
          'related_activities (course)',
          () =>
            get(
              q({
                activity: courseIri(Math.floor(Math.random() * SHAPE.courses)),
                related_activities: 'true',
              }),
            ),
        ],
        [
          'related_activities (profile category)',
          () => get(q({ activity: CATEGORY, related_activities: 'true' })),
        ],
      ];
      for (const [name, run] of shapes) {
        for (let i = 0; i < 10; i++) await run(); // warm-up
        const l: number[] = [];
        for (let i = 0; i < QUERIES; i++) {
          const t = performance.now();
          await run();
          l.push(performance.now() - t);
        }
        queryRows.push([name, percentile(l, 50), percentile(l, 95)]);
      }
      // a `more` page: the second page of an activity's statements
      {
        const l: number[] = [];
        for (let i = 0; i < QUERIES; i++) {
          const first = await getParsed(
            q({ activity: scoIri(Math.floor(Math.random() * SHAPE.courses), 0), limit: '10' }),
          );
          if (!first.more) continue;
          const t = performance.now();
          await get(`http://127.0.0.1:${port}${first.more}`);
          l.push(performance.now() - t);
        }
        queryRows.push(['a more page (by activity, 10/page)', percentile(l, 50), percentile(l, 95)]);
      }
    }

    // the median of the rounds' ratios: each round's raw and LRS ran under the same load
    const ratio = appBatch.ratio ?? appBatch.rate / rawBatch.rate;
    const sratio = appSingle.ratio ?? appSingle.rate / rawSingle.rate;
    const lines = [
      '',
      `LRS benchmark — PostgreSQL ${version}, ${os.cpus().length} cores, Node ${process.version}, statements of ${sample.length} bytes, load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
      '',
      '| measure | LRS (HTTP) | raw PostgreSQL | ratio | target |',
      '|---|---:|---:|---:|---|',
      `| batch ingest, 100/POST, 4 clients (statements/s) | ${fmt(appBatch.rate)} | ${fmt(rawBatch.rate)} | ${ratio.toFixed(2)} | ≥ 0.70 |`,
      `| batch POST latency p95 (ms) | ${fmt(appBatch.p95, 1)} | ${fmt(rawBatch.p95, 1)} | | |`,
      `| single POSTs, 16 clients (statements/s) | ${fmt(appSingle.rate)} | ${fmt(rawSingle.rate)} | ${sratio.toFixed(2)} | ≥ 0.50 |`,
      `| single POST latency p95 (ms) | ${fmt(appSingle.p95, 1)} | ${fmt(rawSingle.p95, 1)} | | ≤ 25 |`,
      `| CPU per statement, batch | ${appBatch.cpu} | ${rawBatch.cpu} | | |`,
      `| CPU per statement, single | ${appSingle.cpu} | ${rawSingle.cpu} | | |`,
      ...queryRows.map(
        ([name, p50, p95]) =>
          `| query ${name} at ${DATASET.toLocaleString('en')}: p50 / p95 (ms) | ${fmt(p50, 1)} / ${fmt(p95, 1)} | | | p95 ≤ 25 |`,
      ),
      '',
      `batch ingest ratio to raw PostgreSQL: ${ratio.toFixed(2)}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    agent.destroy();
    if (!args.has('--keep')) await bench.drop(); // --keep: look at it after
  }
}

await main();
