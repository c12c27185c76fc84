import type { ReactNode } from 'react';

export function Kbd({ children }: { children: ReactNode }) {
  return <kbd className="rounded border border-b-2 border-border-strong bg-panel px-1 font-mono text-[0.8em] text-muted">{children}</kbd>;
}
