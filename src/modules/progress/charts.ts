// Server-rendered SVG charts: every bar carries its value as text and a fill pattern, so they read
// without colour; each chart has a title and description, and the page shows the same data as a table.
const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const INK = '#1f4e79';
const PATTERNS = ['solid', 'diagonal', 'dots', 'cross', 'horizontal', 'vertical'] as const;
type Pattern = (typeof PATTERNS)[number];

function patternDefs(prefix: string): string {
  const p = (name: Pattern, body: string) =>
    `<pattern id="${prefix}-${name}" patternUnits="userSpaceOnUse" width="8" height="8"><rect width="8" height="8" fill="#ffffff"/>${body}</pattern>`;
  return [
    p('solid', `<rect width="8" height="8" fill="${INK}"/>`),
    p('diagonal', `<path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" stroke="${INK}" stroke-width="2"/>`),
    p('dots', `<circle cx="4" cy="4" r="2" fill="${INK}"/>`),
    p('cross', `<path d="M0,0 L8,8 M8,0 L0,8" stroke="${INK}" stroke-width="1.5"/>`),
    p('horizontal', `<path d="M0,2 H8 M0,6 H8" stroke="${INK}" stroke-width="1.5"/>`),
    p('vertical', `<path d="M2,0 V8 M6,0 V8" stroke="${INK}" stroke-width="1.5"/>`),
  ].join('');
}

export interface Bar {
  label: string;
  value: number;
  /** the value as shown (e.g. "12 (40 %)") */
  shown: string;
}

/** Horizontal bars (funnel, score distribution): one labelled row per bar. */
export function horizontalBars(o: {
  id: string;
  title: string;
  desc: string;
  bars: Bar[];
  varyPatterns?: boolean;
}): string {
  const rowH = 28;
  const labelW = 130;
  const barW = 300;
  const width = labelW + barW + 100;
  const height = o.bars.length * rowH + 10;
  const max = Math.max(1, ...o.bars.map((b) => b.value));
  const rows = o.bars
    .map((b, i) => {
      const y = 5 + i * rowH;
      const w = b.value > 0 ? Math.max(2, Math.round((b.value / max) * barW)) : 0;
      const pattern = o.varyPatterns ? PATTERNS[i % PATTERNS.length] : 'diagonal';
      return (
        `<text x="${labelW - 8}" y="${y + 19}" text-anchor="end" font-size="13" fill="#222222">${esc(b.label)}</text>` +
        `<rect x="${labelW}" y="${y + 4}" width="${w}" height="${rowH - 10}" fill="url(#${o.id}-${pattern})" stroke="${INK}" stroke-width="1"/>` +
        `<text x="${labelW + w + 6}" y="${y + 19}" font-size="13" fill="#222222">${esc(b.shown)}</text>`
      );
    })
    .join('');
  return svg(o.id, o.title, o.desc, width, height, rows);
}

/** Columns over time (activity per day), with a label every `labelEvery` columns. */
export function columns(o: {
  id: string;
  title: string;
  desc: string;
  bars: Bar[];
  labelEvery: number;
  axisLabel: string;
}): string {
  const left = 48;
  const top = 16;
  const plotH = 180;
  const colW = Math.max(6, Math.min(24, Math.floor(640 / Math.max(1, o.bars.length))));
  const width = left + o.bars.length * colW + 20;
  const height = top + plotH + 58;
  const max = Math.max(1, ...o.bars.map((b) => b.value));
  const ticks = [0, Math.round(max / 2), max]
    .map((v) => {
      const y = top + plotH - Math.round((v / max) * plotH);
      return `<line x1="${left - 4}" x2="${width - 10}" y1="${y}" y2="${y}" stroke="#bbbbbb" stroke-width="1"/><text x="${left - 8}" y="${y + 4}" text-anchor="end" font-size="11" fill="#222222">${v}</text>`;
    })
    .join('');
  const cols = o.bars
    .map((b, i) => {
      const h = b.value > 0 ? Math.max(1, Math.round((b.value / max) * plotH)) : 0;
      const x = left + i * colW;
      const label =
        i % o.labelEvery === 0
          ? `<text x="${x + colW / 2}" y="${top + plotH + 14}" font-size="11" fill="#222222" text-anchor="end" transform="rotate(-45 ${x + colW / 2} ${top + plotH + 14})">${esc(b.label)}</text>`
          : '';
      return `<rect x="${x + 1}" y="${top + plotH - h}" width="${colW - 2}" height="${h}" fill="url(#${o.id}-diagonal)" stroke="${INK}" stroke-width="1"><title>${esc(b.label)}: ${esc(b.shown)}</title></rect>${label}`;
    })
    .join('');
  const axis = `<text x="12" y="${top + plotH / 2}" font-size="11" fill="#222222" transform="rotate(-90 12 ${top + plotH / 2})" text-anchor="middle">${esc(o.axisLabel)}</text>`;
  return svg(o.id, o.title, o.desc, width, height, ticks + cols + axis);
}

function svg(id: string, title: string, desc: string, width: number, height: number, body: string): string {
  return (
    `<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="${id}-t ${id}-d">` +
    `<title id="${id}-t">${esc(title)}</title><desc id="${id}-d">${esc(desc)}</desc>` +
    `<defs>${patternDefs(id)}</defs>${body}</svg>`
  );
}
