/**
 * Keyboard shortcuts of the inbox: single keys, as in Gmail, Front or Zendesk. A key does nothing while the agent types
 * (an input, a textarea, a select, anything editable), with Ctrl, Alt or Meta held, or inside a dialog or an open
 * menu; the `?` sheet (ShortcutsDialog) lists them from SHORTCUTS.
 */
import { useEffect, useRef } from 'react';

export const SHORTCUTS: readonly { keys: readonly string[]; does: string }[] = [
  { keys: ['j'], does: 'Next conversation' },
  { keys: ['k'], does: 'Previous conversation' },
  { keys: ['r'], does: 'Reply to the customer' },
  { keys: ['n'], does: 'Write an internal note' },
  { keys: ['a'], does: 'Assign the conversation to me' },
  { keys: ['e'], does: 'Resolve the conversation' },
  { keys: ['?'], does: 'Show these shortcuts' },
  { keys: ['Esc'], does: 'Close this sheet' },
];

/** True when a key pressed at `target` is the agent typing, not a shortcut. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') {
    const type = (target as HTMLInputElement).type;
    return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file'].includes(type);
  }
  // An open dialog, menu or list of options (Radix Dialog, DropdownMenu, Popover) takes its own keys (type-ahead).
  return !!target.closest('[role="dialog"], [role="menu"], [role="listbox"]');
}

/**
 * Binds `keys` (by `KeyboardEvent.key`) on the document while `enabled`. The handlers are read at the time of the key,
 * so a caller passes a fresh object each render without rebinding.
 */
export function useShortcuts(keys: Record<string, () => void>, enabled = true): void {
  const current = useRef(keys);
  current.current = keys;
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.repeat) return;
      if (isTyping(e.target)) return;
      const run = current.current[e.key];
      if (!run) return;
      e.preventDefault();
      run();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [enabled]);
}
