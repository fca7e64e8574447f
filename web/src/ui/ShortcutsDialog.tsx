/** The `?` sheet: every keyboard shortcut, in a Radix Dialog (focus kept inside, Esc and the close button close it). */
import * as Dialog from '@radix-ui/react-dialog';
import { X } from 'lucide-react';
import { SHORTCUTS } from './shortcuts';

export function ShortcutsDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content className="dialog" aria-describedby={undefined}>
          <header>
            <Dialog.Title>Keyboard shortcuts</Dialog.Title>
            <Dialog.Close asChild>
              <button type="button" className="ghost" aria-label="Close">
                <X size={16} aria-hidden />
              </button>
            </Dialog.Close>
          </header>
          <dl className="shortcuts">
            {SHORTCUTS.map((s) => (
              <div key={s.does}>
                <dt>{s.does}</dt>
                <dd>
                  {s.keys.map((k) => (
                    <kbd key={k}>{k}</kbd>
                  ))}
                </dd>
              </div>
            ))}
          </dl>
          <p className="muted small">Keys do nothing while you type in a field.</p>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
