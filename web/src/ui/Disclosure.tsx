/**
 * A show/hide section (Radix Collapsible): a button with `aria-expanded` and `aria-controls` that opens its content
 * below. Used where the inbox had `<details>`: each one opens on its own, so several can be open at once.
 */
import type { ReactNode } from 'react';
import * as Collapsible from '@radix-ui/react-collapsible';
import { ChevronRight } from 'lucide-react';

export function Disclosure({
  summary,
  children,
  className,
  defaultOpen = false,
}: {
  /** What the section is, always shown: the button's text (its accessible name). */
  summary: ReactNode;
  children: ReactNode;
  className?: string;
  defaultOpen?: boolean;
}) {
  return (
    <Collapsible.Root className={className ? `disclosure ${className}` : 'disclosure'} defaultOpen={defaultOpen}>
      <Collapsible.Trigger className="disclosure-trigger">
        <ChevronRight size={14} aria-hidden className="disclosure-chevron" />
        <span>{summary}</span>
      </Collapsible.Trigger>
      <Collapsible.Content className="disclosure-content">{children}</Collapsible.Content>
    </Collapsible.Root>
  );
}
