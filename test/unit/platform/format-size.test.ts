import assert from 'node:assert/strict';
import type { i18n } from 'i18next';
import { createI18n } from '../../../src/platform/i18n.js';
import { formatSize } from '../../../src/platform/http/locals.js';

describe('file sizes in the page’s language', () => {
  let i18n: i18n;
  before(async () => {
    i18n = await createI18n();
  });
  const size = (lang: 'en' | 'de' | 'fr' | 'nl', bytes: number) =>
    formatSize(i18n.getFixedT(lang), lang, bytes);

  it('writes MiB with one decimal, in the language’s decimal separator and unit', () => {
    const bytes = 1.5 * 1024 ** 2;
    assert.equal(size('en', bytes), '1.5 MiB');
    assert.equal(size('de', bytes), '1,5 MiB');
    assert.equal(size('nl', bytes), '1,5 MiB');
    assert.equal(size('fr', bytes), '1,5 Mio');
    assert.equal(size('de', 1234 * 1024 ** 2), '1.234,0 MiB');
  });

  it('writes smaller sizes in whole KiB, at least 1', () => {
    assert.equal(size('en', 20 * 1024), '20 KiB');
    assert.equal(size('fr', 10), '1 Kio');
  });
});
