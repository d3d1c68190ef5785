import fs from 'node:fs';
import path from 'node:path';
import { diskFileStore, exportBySlug, writeZip } from '../modules/authoring/index.js';
import { NotFound, AppError } from '../platform/errors.js';
import { createI18n } from '../platform/i18n.js';
import type { CliCommand } from './commands.js';
import { CliUsageError } from './errors.js';

const FORMATS = ['scorm12', 'scorm2004', 'cmi5', 'html'] as const;
type Format = (typeof FORMATS)[number];

export const authoringCommands: Record<string, CliCommand> = {
  'export-course': {
    summary: 'export-course <slug> --format scorm12|scorm2004|cmi5|html --out <file>',
    options: { format: { type: 'string' }, out: { type: 'string' }, slug: { type: 'string' } },
    async run({ db, config }, o, positionals: string[] = []) {
      const slug = positionals[0] ?? o.slug;
      if (!slug) throw new CliUsageError('Give the course slug: export-course <slug> --format … --out …');
      if (!o.format || !FORMATS.includes(o.format as Format))
        throw new CliUsageError(`--format must be one of ${FORMATS.join(', ')}`);
      if (!o.out) throw new CliUsageError('--out <file> is required');
      const i18n = await createI18n();
      let result;
      try {
        result = await exportBySlug(
          { db, config, i18n },
          diskFileStore(config.contentDir),
          slug,
          o.format as Format,
        );
      } catch (err) {
        if (err instanceof NotFound) throw new CliUsageError(`No authored course with the slug "${slug}".`);
        if (err instanceof AppError && err.status === 409)
          throw new CliUsageError(`The course "${slug}" has no published version yet: publish it first.`);
        throw err;
      }
      const out = path.resolve(o.out);
      await fs.promises.mkdir(path.dirname(out), { recursive: true });
      await writeZip(result.files, fs.createWriteStream(out));
      const size = (await fs.promises.stat(out)).size;
      return `Wrote ${o.format} export of "${result.snapshot.title}" version ${result.snapshot.version} to ${out} (${size} bytes, ${result.files.length} files).`;
    },
  },
};
