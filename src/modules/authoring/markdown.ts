import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

// html: false: raw HTML in the text is shown as text. The output is sanitized again, so that no
// future plugin or markdown-it bug can let script through.
const md = new MarkdownIt({ html: false, linkify: true, typographer: false });

const SAFE_LINK = /^(https?:|mailto:)/i;
md.validateLink = (url: string) => SAFE_LINK.test(url.trim());

const renderToken = md.renderer.renderToken.bind(md.renderer);
// The lesson title is the page's h1: the text's headings start at h2.
md.renderer.rules.heading_open = (tokens, idx, options) => {
  const t = tokens[idx]!;
  t.tag = `h${Math.min(6, Number(t.tag.slice(1)) + 1)}`;
  return renderToken(tokens, idx, options);
};
md.renderer.rules.heading_close = md.renderer.rules.heading_open;

const ALLOWED_TAGS = [
  'p',
  'br',
  'strong',
  'em',
  's',
  'del',
  'code',
  'pre',
  'blockquote',
  'ul',
  'ol',
  'li',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'a',
  'hr',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
];

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: ALLOWED_TAGS,
  // No style attributes: the pages' CSP refuses inline styles anyway.
  allowedAttributes: { a: ['href', 'rel'], ol: ['start'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'escape',
  transformTags: {
    a: (tagName, attribs) => ({
      tagName,
      attribs: { ...attribs, rel: 'noopener noreferrer nofollow' },
    }),
  },
};

/** Author Markdown → HTML safe to put in any page or export. */
export function renderAuthoredMarkdown(source: string): string {
  return sanitizeHtml(md.render(source), SANITIZE);
}

/** Plain text of Markdown (for descriptions in manifests and statements). */
export function markdownToText(source: string): string {
  return sanitizeHtml(md.render(source), { allowedTags: [], allowedAttributes: {} })
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}
