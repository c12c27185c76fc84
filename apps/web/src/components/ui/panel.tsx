import type { ReactNode } from 'react';
import { cx } from './cx';

/** A titled section card; `id` lets pages link to it and labels it for assistive tech. */
export function Panel({
  title,
  actions,
  children,
  className,
  id,
}: {
  title?: string;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
  id?: string;
}) {
  const headingId = id ? `${id}-title` : undefined;
  return (
    <section id={id} aria-labelledby={headingId} className={cx('rounded-lg border border-border bg-panel p-4', className)}>
      {title ? (
        <div className="mb-3 flex items-center justify-between gap-2">
          <h2 id={headingId} className="text-base font-semibold">
            {title}
          </h2>
          {actions}
        </div>
      ) : null}
      {children}
    </section>
  );
}
