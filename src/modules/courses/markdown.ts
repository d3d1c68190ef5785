import MarkdownIt, { type RendererRule } from 'markdown-it';

// html: false: authors write Markdown only; raw HTML in the text is shown as text, never run.
const md = new MarkdownIt({ html: false, linkify: true, typographer: false });

const renderToken: RendererRule = (tokens, idx, options, _env, self) =>
  self.renderToken(tokens, idx, options);

md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx]!.attrSet('rel', 'noopener');
  return renderToken(tokens, idx, options, env, self);
};

// The page's own title is its h1: the text's headings start one level lower.
const shiftHeading: RendererRule = (tokens, idx, options, env, self) => {
  const token = tokens[idx]!;
  token.tag = `h${Math.min(6, Number(token.tag.slice(1)) + 1)}`;
  return renderToken(tokens, idx, options, env, self);
};
md.renderer.rules.heading_open = shiftHeading;
md.renderer.rules.heading_close = shiftHeading;

export const renderMarkdown = (source: string): string => md.render(source);
