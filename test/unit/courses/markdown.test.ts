import assert from 'node:assert/strict';
import { renderMarkdown } from '../../../src/modules/courses/markdown.js';

describe('page text in Markdown', () => {
  it('renders Markdown, with headings one level below the page title', () => {
    const html = renderMarkdown('# Intro\n\nSome **bold** text.\n\n- one\n- two');
    assert.match(html, /<h2>Intro<\/h2>/);
    assert.match(html, /<strong>bold<\/strong>/);
    assert.match(html, /<li>one<\/li>/);
  });

  it('never passes raw HTML through', () => {
    const html = renderMarkdown('<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>');
    assert.doesNotMatch(html, /<script|<img/);
    assert.match(html, /&lt;script&gt;/);
  });

  it('gives links rel="noopener" and refuses javascript: links', () => {
    const html = renderMarkdown('[site](https://example.org) and [bad](javascript:alert(1))');
    assert.match(html, /<a href="https:\/\/example\.org" rel="noopener">site<\/a>/);
    assert.doesNotMatch(html, /href="javascript:/);
  });
});
