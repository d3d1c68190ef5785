import assert from 'node:assert/strict';
import { slugify } from '../../../src/modules/courses/slug.js';
import { SLUG_PATTERN } from '../../../src/modules/courses/courses.schemas.js';

describe('course slugs', () => {
  it('makes a URL-safe slug from a title', () => {
    assert.equal(slugify('Café & Co: les bases'), 'cafe-co-les-bases');
    assert.equal(slugify('  Größe -- über Alles!  '), 'grosse-uber-alles');
    assert.equal(slugify('Ünïcödé 2026'), 'unicode-2026');
  });

  it('falls back to "course" when nothing usable is left, and stays within 80 characters', () => {
    assert.equal(slugify('日本語'), 'course');
    const long = slugify('word '.repeat(40));
    assert.ok(long.length <= 80 && SLUG_PATTERN.test(long), long);
  });
});
