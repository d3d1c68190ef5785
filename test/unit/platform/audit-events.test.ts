import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { LANGUAGES } from '../../../src/platform/i18n.js';
import { localesDir, projectRoot } from '../../../src/platform/paths.js';

const tsFiles = (dir: string): string[] =>
  fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? tsFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]))
    .filter((f) => f.endsWith('.ts'));

/** Every event code the code writes with `audit(…, { event: … })`, ternaries included. */
function auditedEvents(): Set<string> {
  const codes = new Set<string>();
  for (const file of tsFiles(path.join(projectRoot, 'src'))) {
    const source = fs.readFileSync(file, 'utf8');
    for (const call of source.matchAll(/\baudit\([^)]*?\bevent:\s*([^,\n}]+)/g))
      for (const literal of call[1]!.matchAll(/'([a-z0-9_.]+)'/g)) codes.add(literal[1]!);
  }
  return codes;
}

describe('audit log event names', () => {
  it('finds the events the code writes', () => {
    const codes = auditedEvents();
    for (const known of ['signin.success', 'user.disabled', 'user.enabled', 'h5p.installer_granted'])
      assert.ok(codes.has(known), `${known} in ${[...codes].join(', ')}`);
  });

  it('has a name for every audited event in every language', () => {
    const codes = [...auditedEvents()];
    for (const lng of LANGUAGES) {
      const admin = JSON.parse(fs.readFileSync(path.join(localesDir, lng, 'admin.json'), 'utf8')) as {
        audit: { events: Record<string, string> };
      };
      const missing = codes.filter((c) => !admin.audit.events[c.replace(/\./g, '_')]);
      assert.deepEqual(missing, [], `${lng}: audit events without a name`);
    }
  });
});
