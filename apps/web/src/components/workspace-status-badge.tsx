import { cx } from './ui';

const TONE: Record<string, string> = {
  running: 'bg-ok/15 text-ok border-ok/30',
  creating: 'bg-warn-bg text-warn border-warn/30',
  ready: 'bg-subtle text-fg border-border-strong',
  paused: 'bg-warn-bg text-warn border-warn/30',
  stopped: 'bg-subtle text-muted border-border-strong',
  error: 'bg-danger-bg text-danger border-danger/40',
  destroyed: 'bg-subtle text-muted border-border-strong',
};

/** A workspace's status; `busy` shows that an operation on it is under way. */
export function WorkspaceStatusBadge({ status, busyLabel }: { status: string; busyLabel?: string | null }) {
  const label = busyLabel ?? status;
  return (
    <span
      className={cx('inline-flex items-center gap-1.5 rounded-full border px-2 py-0.5 text-xs font-medium whitespace-nowrap', TONE[status] ?? TONE.stopped)}
      data-testid="workspace-status"
      data-status={status}
    >
      {busyLabel || status === 'creating' ? (
        <span className="inline-block size-2.5 animate-spin rounded-full border-2 border-current border-t-transparent motion-reduce:animate-none" aria-hidden="true" />
      ) : (
        <span className="inline-block size-1.5 rounded-full bg-current" aria-hidden="true" />
      )}
      {label}
    </span>
  );
}
