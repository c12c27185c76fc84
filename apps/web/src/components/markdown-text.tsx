import { memo } from 'react';
import Markdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';

const REMARK_PLUGINS = [remarkGfm];

/**
 * An agent's words as markdown. No raw HTML (react-markdown escapes it; no rehype-raw), unsafe
 * URLs (javascript:) are dropped by its default urlTransform, and links open in a new tab
 * without handing the log a window.opener or a referrer.
 */
const COMPONENTS: Components = {
  a: ({ href, children }) => (
    <a href={href} target="_blank" rel="noopener noreferrer" className="text-primary underline underline-offset-2 hover:text-primary-hover">
      {children}
    </a>
  ),
  pre: ({ children }) => <pre className="my-2 overflow-x-auto rounded-md bg-log p-2.5 font-mono text-xs leading-relaxed text-log-fg">{children}</pre>,
  code: ({ className, children }) => <code className={className ? `font-mono ${className}` : 'rounded bg-subtle px-1 py-px font-mono text-[0.85em]'}>{children}</code>,
  h1: ({ children }) => <h3 className="mt-2 mb-1 text-base font-semibold">{children}</h3>,
  h2: ({ children }) => <h3 className="mt-2 mb-1 text-base font-semibold">{children}</h3>,
  h3: ({ children }) => <h4 className="mt-2 mb-1 text-sm font-semibold">{children}</h4>,
  h4: ({ children }) => <h4 className="mt-2 mb-1 text-sm font-semibold">{children}</h4>,
  p: ({ children }) => <p className="my-1.5 first:mt-0 last:mb-0">{children}</p>,
  ul: ({ children }) => <ul className="my-1.5 list-disc pl-5">{children}</ul>,
  ol: ({ children }) => <ol className="my-1.5 list-decimal pl-5">{children}</ol>,
  blockquote: ({ children }) => <blockquote className="my-1.5 border-l-2 border-border-strong pl-3 text-muted">{children}</blockquote>,
  table: ({ children }) => (
    <div className="my-2 overflow-x-auto">
      <table className="border-collapse text-sm">{children}</table>
    </div>
  ),
  th: ({ children }) => <th className="border border-border px-2 py-1 text-left font-semibold">{children}</th>,
  td: ({ children }) => <td className="border border-border px-2 py-1">{children}</td>,
  img: ({ alt }) => <span className="text-muted">[image: {alt || 'no description'}]</span>,
};

export const MarkdownText = memo(function MarkdownText({ text }: { text: string }) {
  return (
    <div className="min-w-0 text-sm leading-relaxed break-words">
      <Markdown remarkPlugins={REMARK_PLUGINS} components={COMPONENTS} skipHtml>
        {text}
      </Markdown>
    </div>
  );
});
