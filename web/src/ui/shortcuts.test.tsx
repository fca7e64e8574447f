import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { useShortcuts } from './shortcuts';

function Keys({ keys }: { keys: Record<string, () => void> }) {
  useShortcuts(keys);
  return (
    <div>
      <input aria-label="Search" />
      <textarea aria-label="Reply" />
      <select aria-label="Status">
        <option>Open</option>
      </select>
      <input type="checkbox" aria-label="Done" />
      <div role="dialog" aria-label="Sheet">
        <button type="button">Close</button>
      </div>
      <div role="menu" aria-label="Move to">
        <div role="menuitem" tabIndex={-1}>
          Resolved
        </div>
      </div>
      <div role="listbox" aria-label="Macros">
        <div role="option" aria-selected="false" tabIndex={-1}>
          Return label
        </div>
      </div>
      <button type="button">Elsewhere</button>
    </div>
  );
}

describe('keyboard shortcuts', () => {
  it('run on their key anywhere on the page', () => {
    const next = vi.fn();
    const help = vi.fn();
    render(<Keys keys={{ j: next, '?': help }} />);
    fireEvent.keyDown(document.body, { key: 'j' });
    fireEvent.keyDown(screen.getByRole('button', { name: 'Elsewhere' }), { key: 'j' });
    fireEvent.keyDown(screen.getByRole('checkbox', { name: 'Done' }), { key: 'j' });
    fireEvent.keyDown(document.body, { key: '?', shiftKey: true });
    expect(next).toHaveBeenCalledTimes(3);
    expect(help).toHaveBeenCalledTimes(1);
  });

  it('do not fire while the agent types in a field, in a dialog or an open menu, or with Ctrl, Alt or Meta held', () => {
    const reply = vi.fn();
    render(<Keys keys={{ r: reply }} />);
    for (const field of [
      screen.getByRole('textbox', { name: 'Search' }),
      screen.getByRole('textbox', { name: 'Reply' }),
      screen.getByRole('combobox', { name: 'Status' }),
      screen.getByRole('button', { name: 'Close' }),
      screen.getByRole('menuitem', { name: 'Resolved' }),
      screen.getByRole('option', { name: 'Return label' }),
    ])
      fireEvent.keyDown(field, { key: 'r' });
    fireEvent.keyDown(document.body, { key: 'r', ctrlKey: true });
    fireEvent.keyDown(document.body, { key: 'r', metaKey: true });
    fireEvent.keyDown(document.body, { key: 'r', altKey: true });
    expect(reply).not.toHaveBeenCalled();
    fireEvent.keyDown(document.body, { key: 'r' });
    expect(reply).toHaveBeenCalledTimes(1);
  });

  it('leave other keys alone', () => {
    const reply = vi.fn();
    render(<Keys keys={{ r: reply }} />);
    const event = new KeyboardEvent('keydown', { key: 'x', bubbles: true, cancelable: true });
    document.body.dispatchEvent(event);
    expect(event.defaultPrevented).toBe(false);
    expect(reply).not.toHaveBeenCalled();
  });
});
