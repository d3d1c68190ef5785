import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { viewsDir } from '../../../src/platform/paths.js';

// The SAML IdP's own form: it posts a signed message to the IdP, which knows nothing of our tokens.
const POSTS_ELSEWHERE = new Set(['accounts/saml-post.ejs']);

/** What the strict CSP would break, or what would let a form be posted from another site. */
function viewProblems(source: string, file: string): string[] {
  const problems: string[] = [];
  const at = (index: number) => `${file}:${source.slice(0, index).split('\n').length}`;
  // EJS tags masked, same length: markup around them stays whole, and indices still point into `source`.
  const masked = source.replace(/<%[\s\S]*?%>/g, (m) => m.replace(/[^\n]/g, '_'));
  for (const tag of masked.matchAll(/<([a-zA-Z][\w-]*)\b([^>]*)>/g)) {
    const [, name, attrs] = tag as unknown as [string, string, string];
    if (
      name.toLowerCase() === 'script' &&
      !/\bsrc\s*=/i.test(attrs) &&
      !/\btype="application\/json"/i.test(attrs)
    )
      problems.push(`${at(tag.index)}: inline <script> (only type="application/json" data may be inline)`);
    problems.push(...attributeProblems(attrs).map((p) => `${at(tag.index)}: ${p}`));
  }
  // Attributes written by EJS code: `<p <%- x ? 'onclick="…"' : '' %>>`.
  for (const ejs of source.matchAll(/<%[-=][\s\S]*?%>/g))
    problems.push(...attributeProblems(ejs[0].replace(/['"`]/g, ' ')).map((p) => `${at(ejs.index)}: ${p}`));
  for (const m of source.matchAll(/javascript:/gi)) problems.push(`${at(m.index)}: javascript: URL`);
  if (!POSTS_ELSEWHERE.has(file)) {
    for (const form of masked.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
      const attrsAt = form.index + '<form'.length;
      const attrs = source.slice(attrsAt, attrsAt + form[1]!.length);
      const body = source.slice(attrsAt + form[1]!.length + 1, form.index + form[0].length);
      if (!/method="post"/i.test(attrs) || hasCsrfToken(source, attrs, body)) continue;
      problems.push(`${at(form.index)}: <form method="post"> without a _csrf field`);
    }
  }
  return problems;
}

function attributeProblems(attrs: string): string[] {
  const problems: string[] = [];
  const handler = /(?:^|\s)(on[a-z]+)\s*=/i.exec(attrs);
  if (handler) problems.push(`${handler[1]}= attribute (the CSP blocks inline handlers)`);
  if (/(?:^|\s)style\s*=/i.test(attrs)) problems.push('style= attribute (the CSP blocks inline styles)');
  return problems;
}

/** A `_csrf` field, or (multipart forms) `_csrf=` in the action, directly or through a variable. */
function hasCsrfToken(source: string, attrs: string, body: string): boolean {
  if (/name="_csrf"/.test(body)) return true;
  const action = /action="([^"]*)"/.exec(attrs)?.[1] ?? '';
  if (/[?&]_csrf=<%=/.test(action)) return true;
  const variable = /^<%= (\w+) %>$/.exec(action)?.[1];
  return variable !== undefined && new RegExp(`const ${variable} = [^;]*[?&]_csrf=' \\+`).test(source);
}

function ejsFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? ejsFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]))
    .filter((f) => f.endsWith('.ejs'));
}

describe('views keep to the CSP and to CSRF tokens', () => {
  it('no view has inline scripts or styles, event attributes, javascript: URLs or a POST form without a token', () => {
    const files = ejsFiles(viewsDir);
    assert.ok(files.length > 50, `views found: ${files.length}`);
    const problems = files.flatMap((f) =>
      viewProblems(fs.readFileSync(f, 'utf8'), path.relative(viewsDir, f).split(path.sep).join('/')),
    );
    assert.deepEqual(problems, []);
  });

  describe('the check itself', () => {
    const ok =
      '<form method="post" action="/x"><input type="hidden" name="_csrf" value="<%= csrfToken() %>"></form>';

    it('passes JSON data blocks, scripts by src and forms with a token', () => {
      assert.deepEqual(
        viewProblems(
          `<script type="application/json" id="d"><%- data %></script><script src="/static/js/a.js"></script>${ok}` +
            `<% const action = '/up?_csrf=' + encodeURIComponent(csrfToken()); %>` +
            `<form method="post" action="<%= action %>" enctype="multipart/form-data"></form>` +
            `<form method="post" action="/v?_csrf=<%= encodeURIComponent(csrfToken()) %>"></form>` +
            `<form method="get" action="/search"></form><a data-one="1" class="button">x</a>`,
          'x.ejs',
        ),
        [],
      );
    });

    it('finds each kind of problem, also after an EJS value in the same tag', () => {
      const cases: [string, RegExp][] = [
        ['<script>alert(1)</script>', /inline <script>/],
        ['<script type="module">import "x"</script>', /inline <script>/],
        ['<button class="<%= c %>" onclick="go()">x</button>', /onclick= attribute/],
        ['<img src="x" onerror="y">', /onerror= attribute/],
        ['<p id="<%= id %>"\n   style="color:red">x</p>', /x\.ejs:1: style= attribute/],
        ['<a href="javascript:void(0)">x</a>', /javascript: URL/],
        ['<form class="f" method="post" action="/x"><button>x</button></form>', /without a _csrf field/],
        ['<form method="POST" action="<%= a %>"><button>x</button></form>', /without a _csrf field/],
        [`<p <%- open ? 'onclick="go()"' : '' %>>x</p>`, /onclick= attribute/],
        [`<p class="a" <%- wide ? "style='width:9em'" : '' %>>x</p>`, /style= attribute/],
      ];
      for (const [source, expected] of cases) {
        const found = viewProblems(source, 'x.ejs');
        assert.equal(found.length, 1, `${source}: ${found.join('; ')}`);
        assert.match(found[0]!, expected);
      }
    });

    it('lets only the SAML IdP’s form post without a token', () => {
      const idpForm = '<form method="post" action="<%= action %>" data-auto-submit></form>';
      assert.deepEqual(viewProblems(idpForm, 'accounts/saml-post.ejs'), []);
      assert.equal(viewProblems(idpForm, 'accounts/other.ejs').length, 1);
    });
  });
});
