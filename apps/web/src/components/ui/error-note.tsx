import type { ReactNode } from 'react';
import { cx } from './cx';

/** An error a person should read: announced to screen readers, says what to do next. */
export function ErrorNote({ children, className }: { children: ReactNode; className?: string }) {
  if (!children) return null;
  return (
    <p role="alert" className={cx('rounded-md border border-danger/40 bg-danger-bg px-3 py-2 text-sm text-danger', className)}>
      {children}
    </p>
  );
}
