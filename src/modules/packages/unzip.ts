import fs from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import type { PackageLimits } from '../../platform/config.js';
import { refuse, type PackageMessage } from './report.js';

export interface UnzippedFiles {
  /** Every file written, relative to the package root (after a single top folder is stripped). */
  files: Set<string>;
  unpackedBytes: number;
  notices: PackageMessage[];
}

interface PlannedEntry {
  entry: yauzl.Entry;
  /** The name relative to the package root. */
  name: string;
}

const LARGE_ENTRY = 1024 * 1024; // the per-entry ratio is checked for entries above this size
const SHOWN_NAMES = 5;
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;

/** Why an entry name is unsafe, or null. Names are checked as stored, before any normalisation. */
export function unsafeEntryName(name: string): string | null {
  if (name.includes('\\')) return 'backslash';
  if (name.startsWith('/') || /^[a-zA-Z]:/.test(name)) return 'absolute';
  // eslint-disable-next-line no-control-regex -- control characters are what we refuse
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'control';
  const segments = name.split('/');
  if (segments.includes('..')) return 'traversal';
  if (segments.slice(0, -1).some((s) => s === '' || s === '.') || segments.at(-1) === '.') return 'odd';
  return null;
}

/** Regular files and folders only: links, devices and pipes are refused (unix mode in the external attributes). */
function entryType(entry: yauzl.Entry): 'file' | 'dir' | 'special' {
  const madeByUnix = entry.versionMadeBy >> 8 === 3;
  const mode = (entry.externalFileAttributes >>> 16) & S_IFMT;
  const isDirName = entry.fileName.endsWith('/');
  if (madeByUnix && mode !== 0) {
    if (mode === S_IFDIR) return 'dir';
    if (mode !== S_IFREG) return 'special';
    return isDirName ? 'special' : 'file';
  }
  return isDirName ? 'dir' : 'file';
}

const openZip = (zipPath: string) =>
  new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(
      zipPath,
      // decodeStrings false: we check the raw names ourselves and name the offending entry in the report.
      {
        lazyEntries: true,
        autoClose: false,
        decodeStrings: false,
        validateEntrySizes: true,
        strictFileNames: true,
      },
      (err, zip) => (err || !zip ? reject(err ?? new Error('no zip')) : resolve(zip)),
    ),
  );

async function readEntries(zip: yauzl.ZipFile): Promise<yauzl.Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: yauzl.Entry[] = [];
    zip.on('entry', (entry: yauzl.Entry) => {
      const raw = entry.fileName as unknown as Buffer;
      entry.fileName = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, raw, entry.extraFields, true);
      entries.push(entry);
      zip.readEntry();
    });
    zip.once('end', () => resolve(entries));
    zip.once('error', reject);
    zip.readEntry();
  });
}

/**
 * Unpacks a zip into `targetDir` (a fresh staging folder) with every limit decided before writing
 * (entry count, declared sizes, compression ratios, names, entry types) and a byte cap counted while
 * streaming that holds even when the declared sizes lie. Throws PackageRefused; the caller discards the folder.
 */
export async function unzipSafely(
  zipPath: string,
  targetDir: string,
  fileName: string,
  limits: PackageLimits,
  rootManifests: ReadonlySet<string>,
): Promise<UnzippedFiles> {
  const zipSize = (await fs.promises.stat(zipPath)).size;
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(zipPath);
  } catch {
    throw refuse(fileName, 'packages:errors.notZip');
  }
  try {
    if (zip.entryCount > limits.maxEntries)
      throw refuse(fileName, 'packages:errors.tooManyEntries', {
        count: zip.entryCount,
        max: limits.maxEntries,
      });
    let entries: yauzl.Entry[];
    try {
      entries = await readEntries(zip);
    } catch {
      throw refuse(fileName, 'packages:errors.corruptZip');
    }
    const planned = planEntries(entries, fileName, limits, zipSize);
    const { root, notices } = packageRoot(planned, rootManifests);
    const files = new Set<string>();
    const counter = { total: 0 };
    for (const p of planned) {
      if (!p.name.startsWith(root)) continue;
      const rel = p.name.slice(root.length);
      if (!rel || isJunk(rel)) continue;
      if (entryType(p.entry) === 'dir') {
        await fs.promises.mkdir(safeJoin(targetDir, rel), { recursive: true });
        continue;
      }
      await extractEntry(zip, p.entry, safeJoin(targetDir, rel), counter, fileName, limits);
      files.add(rel);
    }
    return { files, unpackedBytes: counter.total, notices };
  } finally {
    zip.close();
  }
}

/** Checks everything that can be checked from the central directory before a byte is written. */
function planEntries(
  entries: yauzl.Entry[],
  fileName: string,
  limits: PackageLimits,
  zipSize: number,
): PlannedEntry[] {
  const unsafe: string[] = [];
  const special: string[] = [];
  const seen = new Set<string>();
  let declared = 0;
  for (const entry of entries) {
    const name = entry.fileName;
    if (unsafeEntryName(name)) unsafe.push(name);
    else if (entryType(entry) === 'special') special.push(name);
    if (entry.generalPurposeBitFlag & 0x1) throw refuse(fileName, 'packages:errors.encrypted', { name });
    if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8)
      throw refuse(fileName, 'packages:errors.compression', { name });
    const key = name.replace(/\/$/, '');
    if (seen.has(key)) throw refuse(fileName, 'packages:errors.duplicateEntry', { name });
    seen.add(key);
    declared += entry.uncompressedSize;
    const ratio = entry.uncompressedSize / Math.max(entry.compressedSize, 1);
    if (entry.uncompressedSize > LARGE_ENTRY && ratio > limits.maxRatio)
      throw refuse(fileName, 'packages:errors.bomb', {
        name,
        ratio: Math.round(ratio),
        max: limits.maxRatio,
      });
  }
  const names = (list: string[]) =>
    list.slice(0, SHOWN_NAMES).join(', ') +
    (list.length > SHOWN_NAMES ? ` (+${list.length - SHOWN_NAMES})` : '');
  if (unsafe.length) throw refuse(fileName, 'packages:errors.unsafePath', { names: names(unsafe) });
  if (special.length) throw refuse(fileName, 'packages:errors.specialEntry', { names: names(special) });
  if (declared > limits.maxUnpackedBytes)
    throw refuse(fileName, 'packages:errors.unpackedTooLarge', {
      size: mib(declared),
      max: mib(limits.maxUnpackedBytes),
    });
  if (declared > LARGE_ENTRY * 10 && declared / Math.max(zipSize, 1) > limits.maxRatio)
    throw refuse(fileName, 'packages:errors.bombTotal', {
      ratio: Math.round(declared / Math.max(zipSize, 1)),
      max: limits.maxRatio,
    });
  return entries.map((entry) => ({ entry, name: entry.fileName }));
}

const mib = (n: number) => `${Math.ceil(n / (1024 * 1024))} MiB`;

/** Mac and Windows leftovers that are never part of a package. */
const isJunk = (rel: string) =>
  rel.startsWith('__MACOSX/') || rel.split('/').some((s) => s === '.DS_Store' || s === 'Thumbs.db');

/**
 * The package root: '' when a manifest is at the top; the single top folder (with a notice) when the
 * whole package sits in one folder that holds a manifest.
 */
function packageRoot(planned: PlannedEntry[], manifests: ReadonlySet<string>) {
  const names = planned.map((p) => p.name).filter((n) => !isJunk(n));
  if (names.some((n) => manifests.has(n))) return { root: '', notices: [] as PackageMessage[] };
  const tops = new Set(names.map((n) => n.split('/')[0]));
  const [top] = [...tops];
  if (tops.size === 1 && top && names.every((n) => n.startsWith(top + '/'))) {
    const root = top + '/';
    if (names.some((n) => manifests.has(n.slice(root.length))))
      return { root, notices: [{ key: 'packages:notices.topFolder', params: { folder: top } }] };
  }
  return { root: '', notices: [] as PackageMessage[] };
}

/** A path inside `dir`, checked once more after resolving. */
function safeJoin(dir: string, rel: string): string {
  const full = path.resolve(dir, ...rel.replace(/\/$/, '').split('/'));
  if (!full.startsWith(path.resolve(dir) + path.sep)) throw new Error(`entry escapes the package: ${rel}`);
  return full;
}

async function extractEntry(
  zip: yauzl.ZipFile,
  entry: yauzl.Entry,
  target: string,
  counter: { total: number },
  fileName: string,
  limits: PackageLimits,
): Promise<void> {
  await fs.promises.mkdir(path.dirname(target), { recursive: true });
  const source = await new Promise<NodeJS.ReadableStream>((resolve, reject) =>
    zip.openReadStream(entry, (err, stream) => (err || !stream ? reject(err) : resolve(stream))),
  );
  let written = 0;
  const cap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      written += chunk.length;
      counter.total += chunk.length;
      if (written > entry.uncompressedSize || counter.total > limits.maxUnpackedBytes)
        return done(refuse(fileName, 'packages:errors.sizeLie', { name: entry.fileName }));
      done(null, chunk);
    },
  });
  try {
    // 'wx': never write through something that is already there.
    await pipeline(source, cap, fs.createWriteStream(target, { flags: 'wx', mode: 0o640 }));
  } catch (err) {
    if (err instanceof Error && err.name === 'PackageRefused') throw err;
    // yauzl's own checks (sizes, CRC-less truncation) end here too.
    throw refuse(
      fileName,
      /too many bytes|too few bytes/.test(String(err))
        ? 'packages:errors.sizeLie'
        : 'packages:errors.corruptEntry',
      {
        name: entry.fileName,
      },
    );
  }
}
