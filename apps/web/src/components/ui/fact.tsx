import type { ReactNode } from 'react';
import { cx } from './cx';

/** One labelled value in a `<dl>` of facts (template, limits, created…). */
export function Fact({ label, children, className, testId }: { label: string; children: ReactNode; className?: string; testId?: string }) {
  return (
    <div className={cx('min-w-0', className)}>
      <dt className="text-xs text-muted">{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </div>
  );
}
