import assert from 'node:assert/strict';
import { renderAuthoredMarkdown, markdownToText } from '../../../src/modules/authoring/markdown.js';
import { safeFileName } from '../../../src/modules/authoring/files.service.js';
import { videoEmbed } from '../../../src/modules/authoring/video.js';
import { scriptJson, zipSafeName } from '../../../src/modules/authoring/export/build.js';
import { xml } from '../../../src/modules/authoring/export/manifests.js';
import { hasActiveContent, XSS } from '../../integration/authoring/xss.js';

describe('authored text is sanitized', () => {
  it('renders Markdown, links only http, https and mailto', () => {
    const html = renderAuthoredMarkdown(
      '## Title\n\n**bold** [site](https://example.org) [mail](mailto:a@example.org) [rel](/x)',
    );
    assert.match(html, /<h3>Title<\/h3>/);
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
    assert.equal(
      videoEmbed('https://www.youtube.com/watch?v=dQw4w9WgXcQ', [])?.embedUrl,
      'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ',
    );
    assert.equal(
      videoEmbed('https://youtu.be/dQw4w9WgXcQ?t=3', [])?.embedUrl,
      'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ',
    );
    assert.equal(
      videoEmbed('https://vimeo.com/76979871', [])?.embedUrl,
      'https://player.vimeo.com/video/76979871?dnt=1',
    );
  });
  it('accepts only configured PeerTube hosts, over https', () => {
    const hosts = ['tube.example.org'];
    assert.equal(
      videoEmbed('https://tube.example.org/w/kkGMgK9ZtnKfYAgnEtQxbv', hosts)?.embedUrl,
      'https://tube.example.org/videos/embed/kkGMgK9ZtnKfYAgnEtQxbv?p2p=0',
    );
    assert.equal(videoEmbed('https://other.example.org/w/kkGMgK9ZtnKfYAgnEtQxbv', hosts), null);
    assert.equal(videoEmbed('http://www.youtube.com/watch?v=dQw4w9WgXcQ', []), null);
    assert.equal(videoEmbed('javascript:alert(1)', []), null);
    assert.equal(videoEmbed('https://www.youtube.com/watch?v="><script>', []), null);
    assert.equal(videoEmbed('https://evil.example/youtube.com/watch?v=dQw4w9WgXcQ', []), null);
  });
});
