import type { Writable } from 'node:stream';
import yazl from 'yazl';
import type { ExportFormat, Snapshot } from '../authoring.schemas.js';
import { courseIri } from '../statements.js';
import { buildContent, zipSafeName, type ExportDeps, type PackageFile } from './build.js';
import { cmi5CourseStructure, scorm12Manifest, scorm2004Manifest } from './manifests.js';

/** Every file of an export of this published version: content, runtime, files and the manifest. */
export async function exportFiles(
  s: Snapshot,
  format: ExportFormat,
  deps: ExportDeps,
): Promise<PackageFile[]> {
  const iri = courseIri(deps.publicUrl, s.authoredCourseId);
  const files = await buildContent(s, format, deps, iri);
  if (format === 'scorm12')
    files.push({ path: 'imsmanifest.xml', data: Buffer.from(scorm12Manifest(s, files)) });
  if (format === 'scorm2004')
    files.push({ path: 'imsmanifest.xml', data: Buffer.from(scorm2004Manifest(s, files)) });
  if (format === 'cmi5') {
    const quizzes = s.sections.some((x) => x.lessons.some((l) => l.blocks.some((b) => b.kind === 'quiz')));
    files.push({ path: 'cmi5.xml', data: Buffer.from(cmi5CourseStructure(s, iri, quizzes)) });
  }
  return files;
}

/** Zips the files into `out` (every path made of safe segments, whatever it came from). */
export function writeZip(files: PackageFile[], out: Writable): Promise<void> {
  const zip = new yazl.ZipFile();
  const mtime = new Date('2026-01-01T00:00:00Z');
  for (const f of files) {
    const safe = f.path.split('/').map(zipSafeName).join('/');
    zip.addBuffer(f.data, safe, { mtime, mode: 0o100644 });
  }
  zip.end();
  return new Promise((resolve, reject) => {
    zip.outputStream.on('error', reject);
    out.on('error', reject);
    out.on('finish', resolve);
    zip.outputStream.pipe(out);
  });
}

export async function zipToBuffer(files: PackageFile[]): Promise<Buffer> {
  const { PassThrough } = await import('node:stream');
  const pass = new PassThrough();
  const chunks: Buffer[] = [];
  pass.on('data', (c: Buffer) => chunks.push(c));
  await writeZip(files, pass);
  return Buffer.concat(chunks);
}

export const exportFileName = (s: Snapshot, format: ExportFormat) =>
  `${zipSafeName(s.title.toLowerCase()).replace(/\.+$/, '') || 'course'}-v${s.version}-${format}.zip`;
