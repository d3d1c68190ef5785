import assert from 'node:assert/strict';
import fs from 'node:fs';
import { ConfigError, loadConfig, settingNames } from '../../../src/platform/config.js';
import { safeLocalPath } from '../../../src/platform/http/guards.js';

describe('configuration', () => {
  it('is documented in the README, every setting in its table', () => {
    const table = fs
      .readFileSync(new URL('../../../README.md', import.meta.url), 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('| `'));
    const missing = settingNames().filter((name) => !table.some((row) => row.includes(`\`${name}\``)));
    assert.deepEqual(missing, []);
  });

  it('has defaults that run the platform on the embedded database', () => {
    const c = loadConfig({});
    assert.equal(c.port, 3000);
    assert.equal(c.publicUrl, 'http://localhost:3000');
    assert.equal(c.contentOrigin, 'http://127.0.0.1:3001');
    assert.equal(c.databaseUrl, undefined);
    assert.equal(c.secureCookies, false);
    assert.match(c.dataDir, /data$/);
  });

  it('stops with a message naming each invalid setting', () => {
    assert.throws(
      () => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', OPEN_REGISTRATION: 'maybe' }),
      (err: unknown) =>
        err instanceof ConfigError &&
        /PORT/.test(err.message) &&
        /DATABASE_URL/.test(err.message) &&
        /OPEN_REGISTRATION/.test(err.message),
    );
  });

  it('refuses a content origin equal to the LMS origin', () => {
    assert.throws(
      () =>
        loadConfig({ PUBLIC_URL: 'https://learn.example.org', CONTENT_ORIGIN: 'https://learn.example.org' }),
      /CONTENT_ORIGIN/,
    );
  });

  it('uses secure cookies behind HTTPS', () => {
    assert.equal(loadConfig({ PUBLIC_URL: 'https://learn.example.org' }).secureCookies, true);
  });

  it('ignores empty variables', () => {
    assert.equal(loadConfig({ DATABASE_URL: '' }).databaseUrl, undefined);
  });
});

describe('safeLocalPath', () => {
  it('keeps paths of this platform', () => {
    assert.equal(safeLocalPath('/courses?q=a'), '/courses?q=a');
  });
  it('refuses other hosts, protocol-relative and odd paths', () => {
    for (const bad of [
      'https://evil.example',
      '//evil.example',
      '/\\evil.example',
      'javascript:alert(1)',
      '/x\n',
      5,
    ]) {
      assert.equal(safeLocalPath(bad), '/', String(bad));
    }
  });
});
