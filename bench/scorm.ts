/**
 * `npm run bench:scorm [-- --quick] [--keep]`: the SCORM runtime and package import on this machine, against the
 * PostgreSQL server of DATABASE_URL in a throw-away database (a name ending in "bench" is used, any other gets
 * "<name>_scormbench"; dropped and created anew, and dropped after unless --keep). The platform runs in a child
 * process (this file with --serve); files live in a temp folder, removed after.
 *
 * Commits: learners on two generated courses (SCORM 1.2 and SCORM 2004 4th ed., several SCOs each) get their
 * attempts and tokens from the launch service (openActivity), then each runs a real scorm-again API here as
 * the player page does: deliver, initialize, the SCO's writes, commits of what changed since the last
 * acknowledged one (with the sequencing state for 2004), Terminate's commit, the state and end requests, all
 * over HTTP to POST /scorm/runtime, each commit writing its statements as the real path does. Once as fast as
 * the server answers (throughput), once at the player's autocommit pace (a commit every 3 s per learner).
 *
 * Import: a package of many large incompressible files and a valid imsmanifest.xml, generated in the temp
 * folder, uploaded by a signed-in trainer to POST /packages (the upload page's path: streamed upload, safe
 * unzip, validation, storage); the platform process's RSS is sampled throughout.
 */
import { serveForBench, startChild } from './child-server.js';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { Scorm12API, Scorm2004API } from 'scorm-again';
import yazl from 'yazl';
import { createApp } from '../src/app.js';
import { loadConfig, type Config } from '../src/platform/config.js';
import { openDatabase, type Db } from '../src/platform/db.js';
import { createUser } from '../src/modules/accounts/index.js';
import { publishCourse } from '../src/modules/courses/index.js';
import { enrolLearners } from '../src/modules/courses/enrolments.repo.js';
import { addToCourse, importPackage, registerPackageFormat } from '../src/modules/packages/index.js';
import { scormPackageFormat } from '../src/modules/scorm/index.js';
import { openActivity, type PlayerLaunch } from '../src/modules/scorm/launch.service.js';
import { diff, type JsonObject } from '../src/modules/scorm/doc-patch.js';
import type { SessionUser } from '../src/platform/http/types.js';
import { throwawayDb } from './throwaway-db.js';

const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
const LEARNERS = quick ? 50 : 200; // half on the SCORM 1.2 course, half on the 2004 one
const SCOS = quick ? 2 : 3; // SCOs per package; every learner takes them all
const PAGES = 8; // pages per SCO: a commit after each, a question on each but the first
const PACE_MS = 3000; // the player's autocommit interval (scorm-player.js: autocommitSeconds 3)
const PACKAGE_MB = quick ? 50 : 500;
const MEDIA_MB = 5; // size of each incompressible file of the big package
const PUBLIC_URL = 'http://127.0.0.1:3000';
const CONTENT_ORIGIN = 'http://localhost:3001';
const here = fileURLToPath(import.meta.url);
const log = (s: string) => process.stderr.write(`${s}\n`);
console.debug = () => {}; // scorm-again's sequencer announces every delivery on console.debug

// ---------------------------------------------------------------- database and processes

// after READY: the platform's error log (LOG_LEVEL=error), shown as it comes
const startServer = (env: NodeJS.ProcessEnv) =>
  startChild(here, { args: ['--serve'], env, onOutput: (c) => process.stderr.write(c) });

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
}

/** Resident and peak resident memory of a process in MiB (Linux /proc). */
function memoryOf(pid: number): { rss: number; hwm: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
}

/** CPU seconds used so far by a process (utime + stime from /proc, in ticks of 10 ms), or 0 once it is gone. */
function cpuOf(pid: number): number {
  try {
    const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
}

/** CPU seconds of the PostgreSQL backends connected to the bench database. */
function pgCpu(dbName: string): number {
  let total = 0;
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)))
    try {
      if (fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(` ${dbName} `))
        total += cpuOf(Number(pid));
    } catch {
      /* gone */
    }
  return total;
}

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? 0;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- packages made here

const NS12 = `xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"`;
const NS2004 = `xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
  xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3" xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3"
  xmlns:imsss="http://www.imsglobal.org/xsd/imsss"`;

/** A manifest of `scos` SCOs sharing one resource whose files are `files` (SCORM 2004: flow and choice). */
function manifest(version: '1.2' | '2004', title: string, scos: number, files: string[]): string {
  const items = Array.from(
    { length: scos },
    (_, i) => `<item identifier="sco_${i + 1}" identifierref="res"><title>Lesson ${i + 1}</title></item>`,
  ).join('\n      ');
  const fileList = ['index.html', ...files].map((f) => `<file href="${f}"/>`).join('');
  if (version === '1.2')
    return `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="bench.scorm12" version="1" ${NS12}>
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="org"><organization identifier="org"><title>${title}</title>
      ${items}
  </organization></organizations>
  <resources><resource identifier="res" type="webcontent" adlcp:scormtype="sco" href="index.html">${fileList}</resource></resources>
</manifest>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="bench.scorm2004" version="1" ${NS2004}>
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="org"><organization identifier="org"><title>${title}</title>
      ${items}
      <imsss:sequencing><imsss:controlMode choice="true" flow="true"/></imsss:sequencing>
  </organization></organizations>
  <resources><resource identifier="res" type="webcontent" adlcp:scormType="sco" href="index.html">${fileList}</resource></resources>
</manifest>`;
}

const SCO_PAGE =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Lesson</title></head><body><h1>Lesson</h1></body></html>';

/** A zip of `entries` (buffers, or streams of a known size) written to `file` without holding it in memory. */
async function writeZip(
  file: string,
  entries: { name: string; data: Buffer | (() => Readable); size?: number }[],
): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const e of entries)
    if (Buffer.isBuffer(e.data)) zip.addBuffer(e.data, e.name);
    else zip.addReadStream(e.data(), e.name, { size: e.size });
  zip.end();
  await pipeline(zip.outputStream, fs.createWriteStream(file));
}

/** `bytes` of random (incompressible) data, made in 1 MiB chunks as they are read. */
function randomStream(bytes: number): Readable {
  let left = bytes;
  return new Readable({
    read() {
      if (left <= 0) return void this.push(null);
      const n = Math.min(left, 1024 * 1024);
      left -= n;
      this.push(randomBytes(n));
    },
  });
}

async function bigPackage(dir: string): Promise<{ file: string; files: number; bytes: number }> {
  const count = Math.round(PACKAGE_MB / MEDIA_MB);
  const size = MEDIA_MB * 1024 * 1024;
  const media = Array.from({ length: count }, (_, i) => `media/clip-${String(i + 1).padStart(3, '0')}.mp4`);
  const file = path.join(dir, `bench-${PACKAGE_MB}mb.zip`);
  await writeZip(file, [
    { name: 'imsmanifest.xml', data: Buffer.from(manifest('2004', `Bench ${PACKAGE_MB} MB`, 2, media)) },
    { name: 'index.html', data: Buffer.from(SCO_PAGE) },
    ...media.map((name) => ({ name, data: () => randomStream(size), size })),
  ]);
  return { file, files: count + 2, bytes: fs.statSync(file).size };
}

// ---------------------------------------------------------------- a learner, driven as the player page drives scorm-again

type Api = InstanceType<typeof Scorm12API> | InstanceType<typeof Scorm2004API>;
interface Sent {
  status: number;
  body: { result?: boolean; cmi?: JsonObject };
}
type Send = (payload: Record<string, unknown>) => Promise<Sent>;

/** Latencies (ms) by request kind, and refused requests by operation and status, shared by all learners of a run. */
interface Latencies {
  commit: number[];
  other: number[];
  failed: Record<string, number>;
}

/** What changed since the acknowledged document, as the player sends it: whole, a patch, or nothing. */
function change(doc: JsonObject, acked: JsonObject | null) {
  if (!acked) return { full: doc };
  const { set, del } = diff(acked, doc);
  if (!Object.keys(set).length && !del.length) return null;
  return { ...(Object.keys(set).length ? { set } : {}), ...(del.length ? { del } : {}) };
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

class Learner {
  private q = 0;
  private api: Api;
  private readonly v2004: boolean;
  private ackedSco: JsonObject | null = null;
  private ackedSeq: JsonObject | null = null;
  private delivered: string | null = null;
  private sessionEnded = false;

  constructor(
    private readonly launch: PlayerLaunch,
    private readonly send: Send,
    private readonly lat: Latencies,
    private readonly seed: number,
  ) {
    this.v2004 = launch.version === '2004';
    const settings = { autocommit: false, logLevel: 5 as const };
    this.api = this.v2004
      ? new Scorm2004API({
          ...settings,
          sequencing: {
            activityTree: clone(launch.tree),
            eventListeners: {
              onActivityDelivery: (a: { id: string }) => void (this.delivered = a.id),
              onSequencingSessionEnd: () => void (this.sessionEnded = true),
            },
          },
        } as ConstructorParameters<typeof Scorm2004API>[0])
      : new Scorm12API(settings);
    if (this.v2004 && launch.sequencing) {
      this.ackedSeq = clone(launch.sequencing as JsonObject);
      (this.api as InstanceType<typeof Scorm2004API>).deserializeSequencingState(
        JSON.stringify(launch.sequencing),
      );
    }
  }

  private request(op: string, extra: Record<string, unknown> = {}) {
    return { t: this.launch.token, q: ++this.q, op, ...extra };
  }

  /** A request; a refused one is counted (the player reports error 391 to the SCO, which goes on). */
  private async post(payload: Record<string, unknown>, kind: 'commit' | 'other'): Promise<Sent> {
    const t0 = performance.now();
    const r = await this.send(payload);
    this.lat[kind].push(performance.now() - t0);
    if (r.status !== 200 || r.body.result !== true) {
      const key = `${String(payload.op)} ${r.status}`;
      this.lat.failed[key] = (this.lat.failed[key] ?? 0) + 1;
    }
    return r;
  }

  /** SCORM 2004: the sequencing state and tracked statuses, as stateRequest() in the player adds them. */
  private withState(p: Record<string, unknown>): { p: Record<string, unknown>; doc: JsonObject | null } {
    if (!this.v2004) return { p, doc: null };
    const api = this.api as InstanceType<typeof Scorm2004API>;
    const doc = JSON.parse(api.serializeSequencingState()) as JsonObject;
    const c = change(doc, this.ackedSeq);
    const tracking: Record<string, { completion: string; success: string }> = {};
    for (const id of this.launch.order) {
      const t = api.getActivityTrackingData(id);
      if (!t) continue;
      const known = (v: string, ok: string[]) => (ok.includes(v) ? v : 'unknown');
      tracking[id] = {
        completion: known(t.completionStatus, ['completed', 'incomplete']),
        success: known(t.successStatus, ['passed', 'failed']),
      };
    }
    return { p: { ...p, ...(c ? { seq: c } : {}), tracking }, doc };
  }

  private async deliver(sco: string): Promise<void> {
    const s = this.withState(this.request('deliver', { sco }));
    const r = await this.post(s.p, 'other');
    if (s.doc) this.ackedSeq = s.doc;
    this.api.reset();
    this.api.loadFromJSON(r.body.cmi ?? {});
    this.ackedSco = clone(r.body.cmi ?? {});
  }

  private async commit(sco: string, end: boolean): Promise<void> {
    const doc = { cmi: clone((this.api.renderCommitCMI(end) as { cmi?: JsonObject }).cmi ?? {}) };
    const c = change(doc, this.ackedSco);
    // Terminate's commit (a beacon in the browser) carries only the SCO's writes; the state follows on its own
    const s = end
      ? { p: this.request('commit', { sco, end: true }), doc: null }
      : this.withState(this.request('commit', { sco }));
    const r = await this.post(c ? { ...s.p, cmi: c } : s.p, 'commit');
    if (r.status !== 200 || r.body.result !== true) return; // as the player: the next commit carries it again
    this.ackedSco = doc;
    if (s.doc) this.ackedSeq = s.doc;
  }

  private set(element: string, value: string) {
    const ok = this.v2004
      ? (this.api as InstanceType<typeof Scorm2004API>).SetValue(element, value)
      : (this.api as InstanceType<typeof Scorm12API>).LMSSetValue(element, value);
    if (String(ok) !== 'true') throw new Error(`SetValue(${element}) refused`);
  }

  /** One SCO as a typical content page takes it: a bookmark, growing suspend data, a question per page, a score. */
  private async takeSco(sco: string, paceMs: number): Promise<void> {
    await this.deliver(sco);
    await this.post(this.request('initialize', { sco }), 'other');
    const v = this.v2004;
    const api = this.api;
    if (v) (api as InstanceType<typeof Scorm2004API>).Initialize('');
    else (api as InstanceType<typeof Scorm12API>).LMSInitialize('');
    const answers: Record<string, string> = {};
    let correct = 0;
    for (let page = 1; page <= PAGES; page++) {
      this.set(v ? 'cmi.location' : 'cmi.core.lesson_location', `page-${page}`);
      this.set(v ? 'cmi.completion_status' : 'cmi.core.lesson_status', 'incomplete');
      if (v) this.set('cmi.progress_measure', (page / PAGES).toFixed(2));
      if (page > 1) {
        const n = page - 2;
        const right = (this.seed + page) % 4 !== 0;
        const response = right ? 'b' : 'c';
        correct += right ? 1 : 0;
        answers[`q${page}`] = response;
        const i = `cmi.interactions.${n}`;
        this.set(`${i}.id`, `${sco}-q${page}`);
        this.set(`${i}.type`, 'choice');
        this.set(`${i}.${v ? 'learner_response' : 'student_response'}`, response);
        this.set(`${i}.correct_responses.0.pattern`, 'b');
        this.set(`${i}.result`, right ? 'correct' : v ? 'incorrect' : 'wrong');
        this.set(`${i}.weighting`, '1');
        this.set(`${i}.latency`, v ? 'PT14S' : '00:00:14');
        if (v) {
          this.set(`${i}.timestamp`, new Date().toISOString().slice(0, 19));
          this.set(`${i}.description`, `Question ${page} of lesson ${sco}: which of these applies?`);
        } else this.set(`${i}.time`, '10:15:30');
      }
      this.set(
        'cmi.suspend_data',
        JSON.stringify({
          v: 1,
          page,
          visited: Array.from({ length: page }, (_, k) => k + 1),
          answers,
          notes: 'x'.repeat(120 * page),
        }),
      );
      if (paceMs) await sleep(paceMs);
      await this.commit(sco, false);
    }
    const score = Math.round((100 * correct) / (PAGES - 1));
    if (v) {
      this.set('cmi.score.raw', String(score));
      this.set('cmi.score.min', '0');
      this.set('cmi.score.max', '100');
      this.set('cmi.score.scaled', (score / 100).toFixed(2));
      this.set('cmi.success_status', score >= 70 ? 'passed' : 'failed');
      this.set('cmi.completion_status', 'completed');
      this.set('cmi.session_time', 'PT6M12S');
      this.set('cmi.exit', 'normal');
    } else {
      this.set('cmi.core.score.raw', String(score));
      this.set('cmi.core.score.min', '0');
      this.set('cmi.core.score.max', '100');
      this.set('cmi.core.lesson_status', score >= 70 ? 'passed' : 'failed');
      this.set('cmi.core.session_time', '00:06:12');
      this.set('cmi.core.exit', '');
    }
    await this.commit(sco, true);
    if (v) {
      (api as InstanceType<typeof Scorm2004API>).Terminate('');
      const s = this.withState(this.request('state'));
      await this.post(s.p, 'other');
      this.ackedSeq = s.doc;
    } else (api as InstanceType<typeof Scorm12API>).LMSFinish('');
  }

  /** The whole session: every SCO in the order the player delivers them, then the end request. */
  async run(paceMs: number): Promise<void> {
    if (this.v2004) {
      const api = this.api as InstanceType<typeof Scorm2004API>;
      if (!api.processNavigationRequest('start')) throw new Error('sequencing refused start');
      while (this.delivered && !this.sessionEnded) {
        const sco = this.delivered;
        this.delivered = null;
        await this.takeSco(sco, paceMs);
        api.processNavigationRequest('continue');
      }
    } else {
      for (const sco of this.launch.order) await this.takeSco(sco, paceMs);
    }
    const s = this.withState(this.request('end', { reason: this.v2004 ? 'exit_all' : 'suspend' }));
    await this.post(s.p, 'other');
  }
}

// ---------------------------------------------------------------- setup through the platform's own services

interface Course {
  slug: string;
  activityId: string;
}

async function setup(db: Db, config: Config, dir: string) {
  registerPackageFormat(scormPackageFormat);
  const trainer = await createUser(db, {
    email: 'trainer@bench.invalid',
    name: 'Bench Trainer',
    password: 'bench password 1234',
    roles: ['trainer'],
  });
  const actor: SessionUser = { ...trainer, roles: trainer.roles, language: null };
  const courses: Course[] = [];
  for (const version of ['1.2', '2004'] as const) {
    const file = path.join(dir, `commits-${version}.zip`);
    await writeZip(file, [
      { name: 'imsmanifest.xml', data: Buffer.from(manifest(version, `Bench SCORM ${version}`, SCOS, [])) },
      { name: 'index.html', data: Buffer.from(SCO_PAGE) },
    ]);
    const imported = await importPackage(
      { db, config },
      { zipPath: file, fileName: path.basename(file), actor },
    );
    const { course, activity } = await addToCourse(
      { db, config },
      actor,
      imported.package.id,
      { target: 'new' },
      'en',
    );
    await publishCourse(db, course.id);
    courses.push({ slug: course.slug, activityId: activity.id });
  }
  const learners: { user: SessionUser; course: Course }[] = [];
  for (let i = 0; i < LEARNERS; i++) {
    const u = await createUser(db, {
      email: `learner${i}@bench.invalid`,
      name: `Learner ${String(i).padStart(3, '0')}`,
      roles: ['learner'],
    });
    const course = courses[i % 2]!;
    const courseId = (await db('courses').where({ slug: course.slug }).first('id')) as { id: string };
    await enrolLearners(db, courseId.id, [u.id], trainer.id);
    learners.push({ user: { ...u, roles: u.roles, language: null }, course });
  }
  return { trainer, learners };
}

// ---------------------------------------------------------------- measurements

function httpClient(port: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: LEARNERS }); // a connection per learner, as browsers
  const once = (body: string) =>
    new Promise<Sent>((resolve, reject) => {
      const req = http.request(
        `http://127.0.0.1:${port}/scorm/runtime`,
        {
          method: 'POST',
          agent,
          headers: { 'Content-Type': 'text/plain;charset=UTF-8', Origin: CONTENT_ORIGIN },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            try {
              resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Sent['body'] });
            } catch {
              resolve({ status: res.statusCode ?? 0, body: {} });
            }
          });
        },
      );
      req.on('error', (err: NodeJS.ErrnoException) =>
        reject(Object.assign(err, { reusedSocket: req.reusedSocket })),
      );
      req.end(body);
    });
  // a kept-alive connection the server closed as idle just as it was reused: sent again, as a browser does
  // (the runtime applies a request once, by its order number)
  const send: Send = (payload) => {
    const body = JSON.stringify(payload);
    return once(body).catch((err: NodeJS.ErrnoException & { reusedSocket?: boolean }) => {
      if (err.reusedSocket && err.code === 'ECONNRESET') return once(body);
      throw err;
    });
  };
  return { send, close: () => agent.destroy() };
}

interface CommitRun {
  learners: number;
  seconds: number;
  commits: number;
  requests: number;
  commitP50: number;
  commitP95: number;
  otherP95: number;
  statements: number;
  cmiKb: number;
  /** Refused requests: "op status" → count. */
  failed: Record<string, number>;
  /** CPU milliseconds per runtime request: the platform process, PostgreSQL, and this process (the learners). */
  cpu: { platform: number; pg: number; client: number };
}

/** Every learner opens the activity (a new session and token by the launch service) and runs its session. */
async function commitRun(
  db: Db,
  config: Config,
  server: { port: number; pid: number; dbName: string },
  learners: { user: SessionUser; course: Course }[],
  paceMs: number,
): Promise<CommitRun> {
  const launches = [];
  for (const l of learners)
    launches.push((await openActivity(db, config, l.user, l.course.slug, l.course.activityId)).launch);
  const { send, close } = httpClient(server.port);
  const lat: Latencies = { commit: [], other: [], failed: {} };
  const before = Number(((await db('statements').count({ n: '*' })) as [{ n: string }])[0].n);
  const cpu0 = { platform: cpuOf(server.pid), pg: pgCpu(server.dbName), client: process.cpuUsage() };
  const t0 = performance.now();
  await Promise.all(
    launches.map(async (launch, i) => {
      if (paceMs) await sleep(Math.floor((i / launches.length) * paceMs)); // spread over one autocommit interval
      await new Learner(launch, send, lat, i).run(paceMs);
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const requests = lat.commit.length + lat.other.length;
  const client = process.cpuUsage(cpu0.client);
  const perRequest = (sec: number) => (sec * 1000) / requests;
  const cpu = {
    platform: perRequest(cpuOf(server.pid) - cpu0.platform),
    pg: perRequest(pgCpu(server.dbName) - cpu0.pg),
    client: perRequest((client.user + client.system) / 1e6),
  };
  close();
  const after = Number(((await db('statements').count({ n: '*' })) as [{ n: string }])[0].n);
  const size = (await db.raw('select avg(octet_length(cmi::text))::int as n from scorm_sco_states')) as {
    rows: { n: number }[];
  };
  return {
    learners: launches.length,
    seconds,
    commits: lat.commit.length,
    requests,
    commitP50: percentile(lat.commit, 50),
    commitP95: percentile(lat.commit, 95),
    otherP95: percentile(lat.other, 95),
    statements: after - before,
    cmiKb: size.rows[0]!.n / 1024,
    failed: lat.failed,
    cpu,
  };
}

/** Signs the trainer in over HTTP and uploads `file` to POST /packages as the upload page does; RSS sampled. */
async function importRun(port: number, pid: number, file: string) {
  const base = `http://127.0.0.1:${port}`;
  const cookies = new Map<string, string>();
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [k, v] = c.split(';')[0]!.split('=');
      cookies.set(k!, v!);
    }
  };
  const cookie = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const signinPage = await fetch(`${base}/signin`);
  keep(signinPage);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await signinPage.text())![1]!;
  const signin = await fetch(`${base}/signin`, {
    method: 'POST',
    headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      email: 'trainer@bench.invalid',
      password: 'bench password 1234',
      _csrf: csrf,
    }),
    redirect: 'manual',
  });
  keep(signin);
  if (signin.status !== 303) throw new Error(`sign-in failed: ${signin.status}`);
  const form = await fetch(`${base}/packages/new`, { headers: { cookie: cookie() } });
  keep(form);
  const action = /<form[^>]+action="([^"]*\/packages\?_csrf=[^"]+)"/
    .exec(await form.text())?.[1]
    ?.replace(/&amp;/g, '&');
  if (!action) throw new Error('no upload form on /packages/new');

  const boundary = `----bench${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="package"; filename="${path.basename(file)}"\r\n` +
      'Content-Type: application/zip\r\n\r\n',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const size = fs.statSync(file).size;

  const baseline = memoryOf(pid).rss;
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, memoryOf(pid).rss)), 50);
  const t0 = performance.now();
  let sent = 0;
  const res = await new Promise<{ status: number; location: string }>((resolve, reject) => {
    const req = http.request(
      base + action,
      {
        method: 'POST',
        headers: {
          cookie: cookie(),
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': head.length + size + tail.length,
        },
      },
      (r) => {
        r.resume();
        r.on('end', () => resolve({ status: r.statusCode ?? 0, location: String(r.headers.location ?? '') }));
      },
    );
    req.on('error', reject);
    req.on('finish', () => (sent = performance.now()));
    req.write(head);
    const body = fs.createReadStream(file);
    body.on('error', reject);
    body.pipe(req, { end: false });
    body.on('end', () => req.end(tail));
  });
  const done = performance.now();
  clearInterval(sampler);
  peak = Math.max(peak, memoryOf(pid).rss);
  if (res.status !== 303 || !/^\/packages\/[0-9a-f-]{36}$/.test(res.location))
    throw new Error(`upload answered ${res.status} ${res.location}`);
  return {
    packageId: res.location.split('/').pop()!,
    uploadSeconds: (sent - t0) / 1000,
    importSeconds: (done - sent) / 1000,
    totalSeconds: (done - t0) / 1000,
    baseline,
    peak,
    hwm: memoryOf(pid).hwm,
  };
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const bench = throwawayDb('scormbench');
  const { url: benchUrl, name } = bench;
  log(
    `SCORM bench on ${name}: ${LEARNERS} learners × ${SCOS} SCOs × ${PAGES} pages; a ${PACKAGE_MB} MB package${quick ? ' (--quick)' : ''}`,
  );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wch-scorm-bench-'));
  const env = {
    DATABASE_URL: benchUrl,
    CONTENT_DIR: path.join(dir, 'content'),
    DATA_DIR: path.join(dir, 'data'),
    PUBLIC_URL,
    CONTENT_ORIGIN,
    LOG_LEVEL: 'error',
    SEED_DEMO: 'false',
  } as const;
  const config: Config = {
    ...loadConfig(),
    databaseUrl: benchUrl,
    contentDir: env.CONTENT_DIR,
    dataDir: env.DATA_DIR,
    publicUrl: PUBLIC_URL,
    contentOrigin: CONTENT_ORIGIN,
    logLevel: 'silent',
    seedDemo: false,
  };
  await bench.recreate();
  const database = await bench.open();
  const { db } = database;
  let server: ChildProcess | null = null;
  try {
    const version = ((await db.raw('show server_version')) as { rows: { server_version: string }[] }).rows[0]!
      .server_version;
    const { learners } = await setup(db, config, dir);

    // the import, in a fresh platform process
    let t = performance.now();
    const big = await bigPackage(dir);
    log(
      `generated ${big.file}: ${(big.bytes / 1024 ** 2).toFixed(0)} MiB, ${big.files} files, in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
    let started = await startServer(env);
    server = started.child;
    const imp = await importRun(started.port, server.pid!, big.file);
    fs.rmSync(big.file);
    const stored = (await db('package_versions')
      .where({ package_id: imp.packageId })
      .first('file_count', 'unpacked_bytes')) as {
      file_count: number;
      unpacked_bytes: string | number;
    };
    log(
      `imported: ${stored.file_count} files, ${(Number(stored.unpacked_bytes) / 1024 ** 2).toFixed(0)} MiB unpacked; ${JSON.stringify(imp)}`,
    );
    await stopServer(server);

    // the commits, in another fresh platform process
    started = await startServer(env);
    server = started.child;
    t = performance.now();
    const target = { port: started.port, pid: server.pid!, dbName: name };
    const fast = await commitRun(db, config, target, learners, 0);
    const load1 = os.loadavg();
    log(
      `throughput run: ${fast.commits} commits in ${fast.seconds.toFixed(1)} s (${((performance.now() - t) / 1000).toFixed(1)} s with launches); ${JSON.stringify(fast)}; load ${load1.join(' ')}`,
    );
    const paced = await commitRun(db, config, target, learners, PACE_MS);
    log(`paced run: ${paced.commits} commits in ${paced.seconds.toFixed(1)} s`);
    const load2 = os.loadavg();
    await stopServer(server);
    server = null;

    const f = (n: number, d = 0) => n.toFixed(d);
    const load = (l: number[]) => l.map((x) => x.toFixed(1)).join(' ');
    const commitRows = (what: string, r: CommitRun) => [
      `| ${what}: commits/s | ${f(r.commits / r.seconds)} (${r.commits} commits in ${f(r.seconds, 1)} s) |`,
      `| ${what}: commit latency p50 / p95 (ms) | ${f(r.commitP50, 1)} / ${f(r.commitP95, 1)} |`,
      `| ${what}: other requests (deliver, initialize, state, end) p95 (ms) | ${f(r.otherP95, 1)} |`,
      `| ${what}: refused requests | ${
        Object.entries(r.failed)
          .map(([k, n]) => `${n} × ${k}`)
          .join(', ') || 'none'
      } |`,
      `| ${what}: statements written per commit | ${f(r.statements / r.commits, 2)} (${r.statements} in all) |`,
      `| ${what}: CPU per runtime request (ms): platform / PostgreSQL / learners' scorm-again here | ${f(r.cpu.platform, 2)} / ${f(r.cpu.pg, 2)} / ${f(r.cpu.client, 2)} (${r.requests} requests) |`,
    ];
    const lines = [
      '',
      `SCORM benchmark — PostgreSQL ${version}, ${os.cpus().length} cores, Node ${process.version}, platform and clients on this machine`,
      '',
      '| measure | value |',
      '|---|---:|',
      `| learners (half SCORM 1.2, half 2004 4th ed. with sequencing) × SCOs × pages | ${fast.learners} × ${SCOS} × ${PAGES} |`,
      ...commitRows('as fast as answered', fast),
      ...commitRows(`at the player's pace (a commit / ${PACE_MS / 1000} s / learner)`, paced),
      `| stored CMI data per SCO, mean (KiB) | ${f(paced.cmiKb, 1)} |`,
      `| import of a ${PACKAGE_MB} MB package (${big.files} files, ${f(big.bytes / 1024 ** 2)} MiB zip): upload / unzip + validate + store / total (s) | ${f(imp.uploadSeconds, 1)} / ${f(imp.importSeconds, 1)} / ${f(imp.totalSeconds, 1)} |`,
      `| import: platform RSS before / peak sampled / peak − before (MiB) | ${f(imp.baseline)} / ${f(imp.peak)} / ${f(imp.peak - imp.baseline)} |`,
      `| import: platform process VmHWM (MiB) | ${f(imp.hwm)} |`,
      `| load average (1, 5, 15 min) after the throughput run / after the paced run | ${load(load1)} / ${load(load2)} |`,
      '',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    if (server) await stopServer(server);
    await database.close();
    fs.rmSync(dir, { recursive: true, force: true });
    if (!args.has('--keep')) await bench.drop();
  }
}

// ---------------------------------------------------------------- entry

if (args.has('--serve')) {
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl });
  const { app } = await createApp({ config, db: database.db });
  serveForBench(app, database);
} else {
  await main();
}
