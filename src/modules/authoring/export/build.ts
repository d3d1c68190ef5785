import fs from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';
import type { TFunction } from '../../../platform/i18n.js';
import { projectRoot } from '../../../platform/paths.js';
import type { Block, ExportFormat, Snapshot } from '../authoring.schemas.js';
import { renderAuthoredMarkdown } from '../markdown.js';
import { videoEmbed } from '../video.js';
import { licenceName, licenceUrl } from '../licences.js';

export interface PackageFile {
  path: string;
  data: Buffer;
}

export interface ExportDeps {
  readFile(fileId: string): Promise<Buffer>;
  /** Translations in the course's language. */
  t: TFunction;
  publicUrl: string;
  peertubeHosts: readonly string[];
}

// Sources, read from the project folder so that the compiled server finds them too.
const HERE = path.join(projectRoot, 'src', 'modules', 'authoring', 'export');
const read = (...p: string[]) => fs.readFileSync(path.join(HERE, ...p), 'utf8');
const courseTemplate = ejs.compile(read('templates', 'course.ejs'));
const blockTemplate = ejs.compile(read('templates', 'block.ejs'));
/** A format's adapter script: the SCORM ones are one runtime (scorm.js) after their version's API names. */
const adapterSources: Record<ExportFormat, string[]> = {
  scorm12: ['scorm12-api.js', 'scorm.js'],
  scorm2004: ['scorm2004-api.js', 'scorm.js'],
  cmi5: ['cmi5.js'],
  html: ['html.js'],
};

/** A name safe in any zip and on any disk: ASCII letters, digits, dot, dash, underscore. */
export function zipSafeName(name: string): string {
  const clean = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, 100);
  return clean || 'file';
}

const humanSize = (n: number) =>
  n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`;

/** JSON for a <script type="application/json"> element: nothing in it can close the element. */
export const scriptJson = (value: unknown) =>
  JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

/** What the runtime needs to score quizzes and report them (the page holds the text). */
export function runtimeData(s: Snapshot, t: TFunction, courseIri: string) {
  const lessons = s.sections.flatMap((x) => x.lessons);
  return {
    id: courseIri,
    version: s.version,
    title: s.title,
    language: s.language,
    lessons: lessons.map((l) => ({
      id: l.id,
      title: l.title,
      quizzes: l.blocks.filter((b) => b.kind === 'quiz').map((b) => b.id),
    })),
    quizzes: lessons.flatMap((l) =>
      l.blocks.flatMap((b) =>
        b.kind === 'quiz'
          ? [
              {
                id: b.id,
                lessonId: l.id,
                title: b.title,
                passMark: b.passMark,
                questions: b.questions.map((q) => ({
                  id: q.id,
                  type: q.type,
                  prompt: q.prompt,
                  options: q.options.map((o) => ({
                    id: o.id,
                    text: o.text,
                    correct: o.correct,
                    feedback: o.feedback,
                  })),
                  accepted: q.accepted,
                  feedbackCorrect: q.feedbackCorrect,
                  feedbackIncorrect: q.feedbackIncorrect,
                })),
              },
            ]
          : [],
      ),
    ),
    labels: Object.fromEntries(
      [
        'correct',
        'incorrect',
        'score',
        'passed',
        'failed',
        'done',
        'completed',
        'progress',
        'answerAll',
        'exit',
        'noLms',
        'saved',
      ].map((k) => [k, t(`authoring:export.labels.${k}`)]),
    ),
  };
}

/** The course page, runtime and files shared by every export format. */
export async function buildContent(
  s: Snapshot,
  format: ExportFormat,
  deps: ExportDeps,
  courseIri: string,
): Promise<PackageFile[]> {
  const files: PackageFile[] = [];
  const paths = new Map<string, string>();
  let n = 0;
  for (const [id, f] of Object.entries(s.files)) {
    const p = `files/${String(++n).padStart(3, '0')}-${zipSafeName(f.name)}`;
    paths.set(id, p);
    files.push({ path: p, data: await deps.readFile(id) });
  }
  const block = (b: Block) => {
    const fileId = 'fileId' in b ? b.fileId : undefined;
    const meta = fileId ? s.files[fileId] : undefined;
    return blockTemplate({
      b,
      t: deps.t,
      html: b.kind === 'text' ? renderAuthoredMarkdown(b.markdown) : '',
      src: fileId ? (paths.get(fileId) ?? '') : '',
      name: meta ? zipSafeName(meta.name) : '',
      size: meta ? humanSize(meta.size) : '',
      embed: b.kind === 'video' && b.source === 'link' ? videoEmbed(b.url, deps.peertubeHosts) : null,
    });
  };
  const html = courseTemplate({
    s,
    t: deps.t,
    format,
    block,
    cover: s.coverFileId ? paths.get(s.coverFileId) : null,
    licence: `${licenceName(s.licence, deps.t)}${licenceUrl(s.licence) ? ` (${licenceUrl(s.licence)})` : ''}`,
    data: scriptJson(runtimeData(s, deps.t, courseIri)),
  });
  files.push({ path: 'index.html', data: Buffer.from(html) });
  for (const r of ['player.js', 'player.css'])
    files.push({ path: `runtime/${r}`, data: Buffer.from(read('runtime', r)) });
  const adapter = adapterSources[format].map((r) => read('runtime', r)).join('\n');
  files.push({ path: `runtime/${format}.js`, data: Buffer.from(adapter) });
  return files;
}
