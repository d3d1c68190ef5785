import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import yazl from 'yazl';
import type { Db } from '../../../src/platform/db.js';
import { projectRoot } from '../../../src/platform/paths.js';

/** The shared fixtures (real packages), or null with the reason when they are not on this machine. */
export const fixturesDir = path.resolve(projectRoot, '..', 'shared', 'fixtures');
export const haveFixtures = fs.existsSync(path.join(fixturesDir, 'README.md'));
export const fixture = (rel: string) => path.join(fixturesDir, rel);

/** Skips the suite or test when ../shared/fixtures is missing, saying so. */
export function needFixtures(ctx: Mocha.Context): void {
  if (!haveFixtures) {
    process.stdout.write(`      (skipped: ${fixturesDir} is missing)\n`);
    ctx.skip();
  }
}

export interface ZipEntry {
  name: string;
  data?: string | Buffer;
  mode?: number;
  compress?: boolean;
}

/** A zip made with yazl, in memory. */
export async function zipBuffer(entries: ZipEntry[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const e of entries) {
    if (e.name.endsWith('/')) zip.addEmptyDirectory(e.name);
    else
      zip.addBuffer(Buffer.isBuffer(e.data) ? e.data : Buffer.from(e.data ?? ''), e.name, {
        ...(e.mode !== undefined ? { mode: e.mode } : {}),
        compress: e.compress ?? true,
      });
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Rewrites an entry name in place (local header and central directory); names must have the same length. */
export function renameEntry(zip: Buffer, from: string, to: string): Buffer {
  if (Buffer.byteLength(from) !== Buffer.byteLength(to)) throw new Error('names must have the same length');
  const out = Buffer.from(zip);
  const a = Buffer.from(from);
  let at = out.indexOf(a);
  while (at !== -1) {
    Buffer.from(to).copy(out, at);
    at = out.indexOf(a, at + a.length);
  }
  return out;
}

/** Sets the uncompressed size the central directory declares for an entry (a lying zip). */
export function declareSize(zip: Buffer, name: string, size: number): Buffer {
  const out = Buffer.from(zip);
  for (let i = out.length - 22; i >= 0; i--) {
    if (out.readUInt32LE(i) !== 0x02014b50) continue;
    const nameLength = out.readUInt16LE(i + 28);
    if (out.subarray(i + 46, i + 46 + nameLength).toString() === name) {
      out.writeUInt32LE(size, i + 24);
      return out;
    }
  }
  throw new Error(`no central directory entry ${name}`);
}

export const SCORM12_NS = `xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"`;

/** The smallest valid SCORM 1.2 manifest: one SCO launching `href`. */
export function scorm12Manifest(opts: { title?: string; href?: string } = {}): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="test.minimal" version="1" ${SCORM12_NS}>
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="org">
    <organization identifier="org">
      <title>${opts.title ?? 'Minimal course'}</title>
      <item identifier="item_1" identifierref="res_1" parameters="?page=1"><title>The only lesson</title>
        <adlcp:masteryscore>80</adlcp:masteryscore>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="res_1" type="webcontent" adlcp:scormtype="sco" href="${opts.href ?? 'index.html'}">
      <file href="index.html"/>
    </resource>
  </resources>
</manifest>`;
}

/** A minimal valid SCORM 1.2 package as zip bytes. */
export const minimalScorm12 = (opts: { title?: string; extra?: ZipEntry[] } = {}) =>
  zipBuffer([
    { name: 'imsmanifest.xml', data: scorm12Manifest(opts) },
    {
      name: 'index.html',
      data: '<!doctype html><title>Lesson</title><p>Hello</p><script src="js/app.js"></script>',
    },
    { name: 'js/app.js', data: 'window.loaded = true;' },
    { name: 'img/dot.svg', data: '<svg xmlns="http://www.w3.org/2000/svg"/>' },
    ...(opts.extra ?? []),
  ]);

export function tempFile(bytes: Buffer, name = 'package.zip'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wch-pkg-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return file;
}

/** Every file under a folder (relative paths), for "nothing left behind" checks. */
export function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((d) => !d.isDirectory())
    .map((d) => path.relative(dir, path.join(d.parentPath, d.name)));
}

/** Folders left in the storage area, the work folders included. */
export function listEntries(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter(
    (p) => !/^\.(staging|uploads)$/.test(p),
  );
}

export async function packageRowCounts(db: Db) {
  const [p] = (await db('packages').count({ n: '*' })) as { n: number | string }[];
  const [v] = (await db('package_versions').count({ n: '*' })) as { n: number | string }[];
  return { packages: Number(p!.n), versions: Number(v!.n) };
}

/** The places the malformed fixtures try to write to outside the package folder. */
export const EVIL_PATHS = [
  '/tmp/lms-evil-absolute.txt',
  '/lms-evil-drive-letter.txt',
  path.join(projectRoot, 'C:'),
  path.join(projectRoot, '..', 'evil.txt'),
  path.join(projectRoot, '..', 'evil-nested.txt'),
  path.join(projectRoot, '..', 'evil-backslash.txt'),
];

export const uniqueName = () => randomBytes(4).toString('hex');
