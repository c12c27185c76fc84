'use client';

import * as RadixDialog from '@radix-ui/react-dialog';
import type { ReactNode } from 'react';
import { cx } from './cx';

interface DialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description?: ReactNode;
  children: ReactNode;
  /** Wider dialogs for forms with two columns. */
  size?: 'md' | 'lg';
}

/**
 * A modal on Radix's Dialog: focus is trapped and returned on close, Escape closes, the title
 * and description are wired to aria-labelledby/-describedby.
 */
export function Dialog({ open, onOpenChange, title, description, children, size = 'md' }: DialogProps) {
  return (
    <RadixDialog.Root open={open} onOpenChange={onOpenChange}>
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="fixed inset-0 z-40 bg-black/45" />
        <RadixDialog.Content
          className={cx(
            'fixed top-[8vh] left-1/2 z-50 max-h-[84vh] w-[calc(100vw-2rem)] -translate-x-1/2 overflow-y-auto',
            'rounded-lg border border-border bg-panel p-5 text-fg shadow-2xl focus:outline-none',
            size === 'lg' ? 'max-w-3xl' : 'max-w-lg',
          )}
          // Radix wires aria-describedby to the Description; without one it must be told none exists.
          {...(description ? {} : { 'aria-describedby': undefined })}
        >
          <div className="mb-4 flex items-start justify-between gap-4">
            <div>
              <RadixDialog.Title className="text-lg font-semibold">{title}</RadixDialog.Title>
              {description ? <RadixDialog.Description className="mt-1 text-sm text-muted">{description}</RadixDialog.Description> : null}
            </div>
            <RadixDialog.Close
              className="rounded-md px-2 py-1 text-muted hover:bg-subtle focus-visible:outline-2 focus-visible:outline-focus"
              aria-label="Close"
            >
              ✕
            </RadixDialog.Close>
          </div>
          {children}
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}
