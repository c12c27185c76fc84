import { VIEWER_REASON } from '../lib/use-role';
import { cx } from './ui';

/** Stands where a viewer would find write controls, and says why they are not there. */
export function ViewerNote({ what, className }: { what?: string; className?: string }) {
  return (
    <p className={cx('rounded-md border border-border bg-subtle px-3 py-2 text-sm text-muted', className)} data-testid="viewer-note">
      {what ? `${what}: ` : ''}
      {VIEWER_REASON}
    </p>
  );
}
