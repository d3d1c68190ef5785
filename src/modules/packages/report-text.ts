import type { TFunction } from '../../platform/i18n.js';
import type { PackageReport, ReportItem } from './report.js';

/** The validation report as plain text (the command line prints it), in the translator's language. */
export function reportAsText(report: PackageReport, t: TFunction): string {
  const msg = (m: { key: string; params?: Record<string, string | number> }) => t(m.key, m.params ?? {});
  const lines: string[] = [`${t('packages:report.format')}: ${msg(report.formatLabel)}`];
  if (report.title) lines.push(`${t('packages:fields.title')}: ${report.title}`);
  const section = (heading: string, list: { key: string }[]) => {
    if (!list.length) return;
    lines.push('', `${heading}:`, ...list.map((m) => `  - ${msg(m)}`));
  };
  section(t('packages:report.errors'), report.errors);
  section(t('packages:report.warnings'), report.warnings);
  section(t('packages:report.notices'), report.notices);
  const tree = (items: ReportItem[], depth: number) => {
    for (const i of items) {
      const kind = i.kind ? ` [${i.kind}]` : '';
      const launch = i.launch ? ` → ${i.launch}` : '';
      lines.push(`${'  '.repeat(depth)}- ${i.title || i.id}${kind}${launch}`);
      tree(i.children, depth + 1);
    }
  };
  if (report.organizations.length) {
    lines.push('', `${t('packages:report.organizations')}:`);
    for (const o of report.organizations) {
      lines.push(`  ${o.title || o.id}`);
      tree(o.items, 2);
    }
  }
  if (report.launchFiles.length) {
    lines.push('', `${t('packages:report.launchFiles')}:`);
    for (const f of report.launchFiles)
      lines.push(`  ${f.path} (${t(f.exists ? 'packages:report.found' : 'packages:report.missing')})`);
  }
  return lines.join('\n');
}
