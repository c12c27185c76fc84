'use client';

import { useState, type ReactNode } from 'react';
import { Button } from './button';
import { Dialog } from './dialog';
import { ErrorNote } from './error-note';

interface ConfirmDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description: ReactNode;
  confirmLabel: string;
  /** Destructive actions get a red button. */
  danger?: boolean;
  /** For what cannot be undone: the person types this word (e.g. the workspace's name) first. */
  typeToConfirm?: string;
  busy?: boolean;
  error?: string | null;
  onConfirm: () => void;
}

/** Asks before an action; the cancel button has focus first, so Enter never destroys by reflex. */
export function ConfirmDialog(props: ConfirmDialogProps) {
  const { open, onOpenChange, title, description, confirmLabel, danger, typeToConfirm, busy, error, onConfirm } = props;
  const [typed, setTyped] = useState('');
  const matches = !typeToConfirm || typed === typeToConfirm;
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (!next) setTyped('');
        onOpenChange(next);
      }}
      title={title}
      description={description}
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (matches) onConfirm();
        }}
        className="space-y-4"
      >
        {typeToConfirm ? (
          <label className="block text-sm">
            Type <strong className="font-mono">{typeToConfirm}</strong> to confirm
            <input
              className="mt-1 block h-9 w-full rounded-md border border-border-strong bg-input px-2.5 font-mono"
              value={typed}
              onChange={(event) => setTyped(event.target.value)}
              autoComplete="off"
              spellCheck={false}
              data-testid="confirm-input"
            />
          </label>
        ) : null}
        <ErrorNote>{error}</ErrorNote>
        <div className="flex justify-end gap-2">
          <Button onClick={() => onOpenChange(false)} autoFocus>
            Cancel
          </Button>
          <Button type="submit" variant={danger ? 'danger' : 'primary'} disabled={!matches} busy={busy}>
            {confirmLabel}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
