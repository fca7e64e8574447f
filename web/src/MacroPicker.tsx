/**
 * The composer's macro picker (Radix Popover): a button that opens a search box over the team's macros. Typing filters
 * them by name; ↑ and ↓ move through the matches, Enter inserts the one marked, Esc closes and gives the focus back to
 * the button. The box is a combobox that marks an option with aria-activedescendant, so the focus stays in the box
 * while a screen reader reads the macro marked.
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import * as Popover from '@radix-ui/react-popover';
import { ChevronDown, MessageSquareText } from 'lucide-react';

type Macro = { id: string; name: string };

export function MacroPicker({
  macros,
  onChoose,
  focusAfterChoosing,
}: {
  macros: readonly Macro[];
  onChoose: (macroId: string) => void;
  /** The element (by id) that gets the focus once a macro is chosen: where its text goes. */
  focusAfterChoosing: string;
}) {
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const chosen = useRef(false);
  const id = useId();
  const words = query.trim().toLowerCase();
  const matches = words ? macros.filter((m) => m.name.toLowerCase().includes(words)) : macros;
  const marked = matches.length ? Math.min(active, matches.length - 1) : -1;
  const optionId = (m: Macro) => `${id}-${m.id}`;
  const markedMacro = matches[marked];

  useEffect(() => {
    if (open && markedMacro) document.getElementById(`${id}-${markedMacro.id}`)?.scrollIntoView?.({ block: 'nearest' });
  }, [open, markedMacro, id]);

  function choose(m: Macro) {
    chosen.current = true;
    setOpen(false);
    onChoose(m.id);
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    const last = matches.length - 1;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (last < 0) return;
      if (e.key === 'ArrowDown') setActive(marked >= last ? 0 : marked + 1);
      else setActive(marked <= 0 ? last : marked - 1);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      if (markedMacro) choose(markedMacro);
    }
  }

  return (
    <Popover.Root
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (next) {
          setQuery('');
          setActive(0);
        }
      }}
    >
      <Popover.Trigger asChild>
        <button type="button" className="sm">
          <MessageSquareText size={14} aria-hidden />
          Insert macro
          <ChevronDown size={14} aria-hidden />
        </button>
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content
          className="popover macro-picker"
          aria-label="Insert macro"
          align="end"
          sideOffset={4}
          collisionPadding={8}
          onCloseAutoFocus={(e) => {
            if (!chosen.current) return;
            chosen.current = false;
            e.preventDefault();
            document.getElementById(focusAfterChoosing)?.focus();
          }}
        >
          <input
            type="text"
            role="combobox"
            aria-label="Find a macro"
            aria-expanded
            aria-autocomplete="list"
            aria-controls={`${id}-list`}
            aria-activedescendant={markedMacro ? optionId(markedMacro) : undefined}
            placeholder="Find a macro…"
            autoComplete="off"
            value={query}
            onChange={(e) => {
              setQuery(e.target.value);
              setActive(0);
            }}
            onKeyDown={onKeyDown}
          />
          <div role="listbox" id={`${id}-list`} aria-label="Macros" className="menu-list">
            {matches.map((m, i) => (
              // biome-ignore lint/a11y/useKeyWithClickEvents: the keys are the search box's (aria-activedescendant)
              <div
                key={m.id}
                id={optionId(m)}
                role="option"
                tabIndex={-1}
                aria-selected={i === marked}
                className="menu-item"
                data-highlighted={i === marked ? '' : undefined}
                // The focus stays in the search box.
                onMouseDown={(e) => e.preventDefault()}
                onPointerMove={() => setActive(i)}
                onClick={() => choose(m)}
              >
                {m.name}
              </div>
            ))}
          </div>
          {matches.length === 0 && (
            <p className="muted small" role="status">
              {macros.length ? 'No macro has that in its name.' : 'No macros yet.'}
            </p>
          )}
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}
