/**
 * A step's instructions, the SOP's Markdown prose (bold, numbered and bulleted lists, `code`, links), rendered as
 * React elements by markdown-to-jsx: no HTML string is ever injected, raw HTML in the source is shown as text, and
 * links open outside the inbox. Headings are lowered to the panel's level, so a procedure's `#` does not outrank it.
 */
import Markdown from 'markdown-to-jsx';
import type { ReactNode } from 'react';

const Small = ({ children }: { children?: ReactNode }) => <strong className="instructions-heading">{children}</strong>;
const ExternalLink = ({ children, href, title }: { children?: ReactNode; href?: string; title?: string }) => (
  <a href={href} title={title} target="_blank" rel="noreferrer noopener">
    {children}
  </a>
);

const OPTIONS = {
  disableParsingRawHTML: true,
  forceBlock: true,
  overrides: { h1: Small, h2: Small, h3: Small, h4: Small, h5: Small, h6: Small, a: ExternalLink },
} as const;

export function Instructions({ text }: { text: string }) {
  return (
    <div className="instructions">
      <Markdown options={OPTIONS}>{text}</Markdown>
    </div>
  );
}
