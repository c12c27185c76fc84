'use client';

import { createContext, useCallback, useContext, useState, type ReactNode } from 'react';
import { formatClock } from '../lib/format';
import { cx } from './ui';

/**
 * One line of the work log: time, kind, body. Rows carry `data-seq` (the event they show), so
 * a test or a person can tie what is on screen to what Postgres holds.
 */
export function LogRow({
  seq,
  ts,
  kind,
  className,
  children,
  ...data
}: {
  seq: number;
  ts: string;
  kind: string;
  className?: string;
  children: ReactNode;
} & Record<`data-${string}`, string | undefined>) {
  return (
    <div className={cx('grid grid-cols-[6.25rem_5.5rem_minmax(0,1fr)] items-baseline gap-x-2 px-3 py-1 text-sm', className)} data-seq={seq} {...data}>
      <time dateTime={ts} className="font-mono text-xs text-muted tabular-nums">
        {formatClock(ts)}
      </time>
      <span className="truncate text-xs font-medium tracking-wide text-muted uppercase">{kind}</span>
      <div className="min-w-0">{children}</div>
    </div>
  );
}

/**
 * Which rows a person opened. Rows of a virtualized list unmount when scrolled away; the set
 * lives above them, so a tool call opened, scrolled past and scrolled back to is still open.
 */
const ExpandedContext = createContext<Set<string> | null>(null);

export function ExpandedRows({ children }: { children: ReactNode }) {
  const [expanded] = useState(() => new Set<string>());
  return <ExpandedContext.Provider value={expanded}>{children}</ExpandedContext.Provider>;
}

export function useExpanded(key: string): [boolean, () => void] {
  const expanded = useContext(ExpandedContext);
  const [open, setOpen] = useState(() => expanded?.has(key) ?? false);
  const toggle = useCallback(() => {
    setOpen((was) => {
      if (was) expanded?.delete(key);
      else expanded?.add(key);
      return !was;
    });
  }, [expanded, key]);
  return [open, toggle];
}

/** A row's disclosure button: the one-line summary; the body (rendered only when open) is the caller's. */
export function Disclosure({ open, onToggle, controls, children, className }: { open: boolean; onToggle(): void; controls: string; children: ReactNode; className?: string }) {
  return (
    <button
      type="button"
      aria-expanded={open}
      aria-controls={open ? controls : undefined}
      onClick={onToggle}
      className={cx('flex w-full min-w-0 items-baseline gap-1.5 rounded text-left hover:bg-subtle focus-visible:outline-2 focus-visible:outline-focus', className)}
    >
      <span aria-hidden="true" className={cx('inline-block w-3 shrink-0 text-xs text-muted transition-transform', open && 'rotate-90')}>
        ▸
      </span>
      {children}
    </button>
  );
}

export const MAX_TEXT_CHARS = 20_000;

export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length - max} more characters)` : text;
}
