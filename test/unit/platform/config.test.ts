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

  it('stops with a message naming each invalid setting, what it must be and what it got', () => {
    assert.throws(
      () =>
        loadConfig({
          PORT: 'eighty',
          DATABASE_URL: 'mysql://user:hunter2@db',
          OPEN_REGISTRATION: 'maybe',
          DEFAULT_LANGUAGE: 'es',
        }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.deepEqual(err.message.split('\n'), [
          'Invalid configuration:',
          '  PORT: must be a port number (got "eighty")',
          '  DATABASE_URL: must be a postgres:// address',
          '  OPEN_REGISTRATION: must be true or false (got "maybe")',
          '  DEFAULT_LANGUAGE: must be one of: en, de, fr, nl (got "es")',
        ]);
        return true;
      },
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
