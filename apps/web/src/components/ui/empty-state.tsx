import type { ReactNode } from 'react';

/** What a new team sees instead of an empty table: what this is, and the next step. */
export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="rounded-lg border border-dashed border-border-strong bg-panel px-6 py-10 text-center" data-testid="empty-state">
      <h3 className="text-base font-semibold">{title}</h3>
      {children ? <div className="mx-auto mt-1.5 max-w-md text-sm text-muted">{children}</div> : null}
      {action ? <div className="mt-4 flex justify-center gap-2">{action}</div> : null}
    </div>
  );
}
