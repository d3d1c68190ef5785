import assert from 'node:assert/strict';
import { renderAuthoredMarkdown, markdownToText } from '../../../src/modules/authoring/markdown.js';
import { safeFileName } from '../../../src/modules/authoring/files.service.js';
import { videoEmbed } from '../../../src/modules/authoring/video.js';
import { scriptJson, zipSafeName } from '../../../src/modules/authoring/export/build.js';
import { xml } from '../../../src/modules/authoring/export/manifests.js';

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
    if (/\son[a-z]+\s*=/i.test(tag)) return `event handler ${tag}`;
    if (/\s(href|src|action|formaction|srcdoc|xlink:href)\s*=\s*["']?\s*(javascript|vbscript|data):/i.test(tag)) return `script URL ${tag}`;
  }
  return null;
}

describe('authored text is sanitized', () => {
  it('renders Markdown, links only http, https and mailto', () => {
    const html = renderAuthoredMarkdown('## Title\n\n**bold** [site](https://example.org) [mail](mailto:a@example.org) [rel](/x)');
    assert.match(html, /<h4>Title<\/h4>/);
    assert.match(html, /<strong>bold<\/strong>/);
    assert.match(html, /href="https:\/\/example.org" rel="noopener noreferrer nofollow"/);
    assert.match(html, /href="mailto:a@example.org"/);
    assert.doesNotMatch(html, /href="\/x"/);
  });

  for (const input of XSS) {
    it(`neutralises ${input}`, () => {
      const html = renderAuthoredMarkdown(input);
      assert.equal(hasActiveContent(html), null, html);
      assert.doesNotMatch(html, /<img|<svg|<iframe|<style/i);
    });
  }

  it('gives plain text for metadata', () => {
    assert.equal(markdownToText('**Hi** <b>there</b> & [you](https://e.org)'), 'Hi <b>there</b> & you');
  });

  it('makes safe file names from any upload name', () => {
    assert.equal(safeFileName('../../etc/passwd', 'txt'), 'passwd.txt');
    assert.equal(safeFileName('"><img src=x onerror=alert(1)>.png', 'png'), 'img-src-x-onerror-alert-1.png');
    assert.equal(safeFileName('Ça fait été.JPG', 'jpg'), 'Ca-fait-ete.jpg');
    assert.equal(safeFileName('', 'pdf'), 'file.pdf');
    assert.equal(zipSafeName('..\\..\\evil.js'), 'evil.js');
    assert.equal(zipSafeName('/abs/olute'), 'abs-olute');
  });

  it('escapes JSON in script elements and text in XML', () => {
    assert.doesNotMatch(scriptJson({ a: '</script><script>alert(1)</script>' }), /<\/script>/);
    assert.equal(xml(`<a b="c">&'`), '&lt;a b=&quot;c&quot;&gt;&amp;&apos;');
  });
});

describe('video links', () => {
  it('embeds YouTube without cookies and Vimeo with do-not-track', () => {
    assert.equal(videoEmbed('https://www.youtube.com/watch?v=dQw4w9WgXcQ', [])?.embedUrl, 'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ');
    assert.equal(videoEmbed('https://youtu.be/dQw4w9WgXcQ?t=3', [])?.embedUrl, 'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ');
    assert.equal(videoEmbed('https://vimeo.com/76979871', [])?.embedUrl, 'https://player.vimeo.com/video/76979871?dnt=1');
  });
  it('accepts only configured PeerTube hosts, over https', () => {
    const hosts = ['tube.example.org'];
    assert.equal(videoEmbed('https://tube.example.org/w/kkGMgK9ZtnKfYAgnEtQxbv', hosts)?.embedUrl, 'https://tube.example.org/videos/embed/kkGMgK9ZtnKfYAgnEtQxbv?p2p=0');
    assert.equal(videoEmbed('https://other.example.org/w/kkGMgK9ZtnKfYAgnEtQxbv', hosts), null);
    assert.equal(videoEmbed('http://www.youtube.com/watch?v=dQw4w9WgXcQ', []), null);
    assert.equal(videoEmbed('javascript:alert(1)', []), null);
    assert.equal(videoEmbed('https://www.youtube.com/watch?v="><script>', []), null);
    assert.equal(videoEmbed('https://evil.example/youtube.com/watch?v=dQw4w9WgXcQ', []), null);
  });
});
