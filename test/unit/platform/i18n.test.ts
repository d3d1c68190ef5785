import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { LANGUAGES } from '../../../src/platform/i18n.js';
import { localesDir } from '../../../src/platform/paths.js';

type Tree = { [k: string]: string | Tree };

const keysOf = (tree: Tree, prefix = ''): string[] =>
  Object.entries(tree).flatMap(([k, v]) =>
    typeof v === 'string' ? [prefix + k] : keysOf(v, `${prefix}${k}.`),
  );

// Plural forms differ between languages; compare the base key.
const base = (k: string) => k.replace(/_(zero|one|two|few|many|other)$/, '');

describe('translations', () => {
  const namespaces = fs.readdirSync(path.join(localesDir, 'en')).filter((f) => f.endsWith('.json'));

  it('has the same namespaces in every language', () => {
    for (const lng of LANGUAGES) {
      assert.deepEqual(fs.readdirSync(path.join(localesDir, lng)).sort(), [...namespaces].sort(), lng);
    }
  });

  for (const ns of namespaces) {
    it(`has every key of ${ns} in every language, and no stray ones`, () => {
      const read = (lng: string) =>
        JSON.parse(fs.readFileSync(path.join(localesDir, lng, ns), 'utf8')) as Tree;
      const en = new Set(keysOf(read('en')).map(base));
      for (const lng of LANGUAGES.filter((l) => l !== 'en')) {
        const other = new Set(keysOf(read(lng)).map(base));
        assert.deepEqual(
          [...en].filter((k) => !other.has(k)),
          [],
          `${lng}/${ns} misses keys`,
        );
        assert.deepEqual(
          [...other].filter((k) => !en.has(k)),
          [],
          `${lng}/${ns} has keys English lacks`,
        );
      }
    });

    it(`has ${ns} translated, not copied from English`, () => {
      const read = (lng: string) =>
        JSON.parse(fs.readFileSync(path.join(localesDir, lng, ns), 'utf8')) as Tree;
      const flat = (t: Tree, p = ''): [string, string][] =>
        Object.entries(t).flatMap(([k, v]) =>
          typeof v === 'string' ? [[p + k, v] as [string, string]] : flat(v, `${p}${k}.`),
        );
      const en = new Map(flat(read('en')));
      for (const lng of LANGUAGES.filter((l) => l !== 'en')) {
        // Sentences, not names or terms: more than three words once placeholders are left out.
        const words = (v: string) =>
          v
            .replace(/\{\{[^}]*\}\}/g, ' ')
            .split(/\s+/)
            .filter((w) => /\p{L}/u.test(w));
        const same = flat(read(lng)).filter(([k, v]) => words(v).length > 3 && en.get(k) === v);
        assert.deepEqual(
          same.map(([k]) => k),
          [],
          `${lng}/${ns}: long texts identical to English`,
        );
      }
    });
  }
});
