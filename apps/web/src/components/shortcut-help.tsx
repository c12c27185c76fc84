'use client';

import type { ReactNode } from 'react';
import { Dialog, Kbd } from './ui';

const SHORTCUTS: { keys: ReactNode; what: string }[] = [
  { keys: <Kbd>n</Kbd>, what: 'New mission (in the current workspace on its page)' },
  {
    keys: (
      <>
        <Kbd>Ctrl</Kbd>/<Kbd>⌘</Kbd> + <Kbd>K</Kbd>
      </>
    ),
    what: 'New mission, too',
  },
  {
    keys: (
      <>
        <Kbd>Ctrl</Kbd>/<Kbd>⌘</Kbd> + <Kbd>Enter</Kbd>
      </>
    ),
    what: 'Submit a multi-line field (dispatch the prompt, send a message)',
  },
  { keys: <Kbd>Esc</Kbd>, what: 'Close a dialog' },
  { keys: <Kbd>?</Kbd>, what: 'This list' },
];

/** Every global shortcut in one place; they are ignored while typing in a field or the terminal. */
export function ShortcutHelp({ open, onOpenChange }: { open: boolean; onOpenChange(open: boolean): void }) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title="Keyboard shortcuts" description="Single keys work anywhere except while typing in a field or the terminal.">
      <table className="w-full text-sm">
        <tbody>
          {SHORTCUTS.map((shortcut) => (
            <tr key={shortcut.what} className="border-b border-border last:border-0">
              <td className="py-2 pr-4 whitespace-nowrap">{shortcut.keys}</td>
              <td className="py-2">{shortcut.what}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Dialog>
  );
}
