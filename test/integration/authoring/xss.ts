/** Script-bearing inputs an author (or an attacker with an account) might type. */
export const XSS = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "<svg onload=alert(1)><script>alert('svg')</script></svg>",
  '[click](javascript:alert(1))',
  '[click](JaVaScRiPt:alert(1))',
  '[x](vbscript:msgbox(1))',
  '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '<a href="javascript:alert(1)">a</a>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<div onclick="alert(1)">x</div>',
  '![x](javascript:alert(1))',
  '<style>body{background:url(javascript:alert(1))}</style>',
];

/** What in this HTML could run script (looking only at real tags, not at escaped text), or null. */
export function hasActiveContent(html: string): string | null {
  for (const tag of html.match(/<[a-z][^>]*>/gi) ?? []) {
    if (/^<script\b/i.test(tag)) return `script tag ${tag}`;
    if (/\son[a-z]+\s*=/i.test(tag.replace(/"[^"]*"|'[^']*'/g, '""'))) return `event handler ${tag}`;
    if (
      /\s(href|src|action|formaction|srcdoc|xlink:href)\s*=\s*["']?\s*(javascript|vbscript|data):/i.test(tag)
    )
      return `script URL ${tag}`;
  }
  return null;
}
