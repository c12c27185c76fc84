import { REVIEW_STATUS_LABEL } from '../lib/review-format';
import type { ReviewStatus } from '../lib/review-types';
import { cx } from './ui';

const TONE: Record<ReviewStatus, string> = {
  none: 'bg-subtle text-muted border-border-strong',
  ready_for_review: 'bg-warn-bg text-warn border-warn/30',
  merged: 'bg-ok/15 text-ok border-ok/30',
  discarded: 'bg-subtle text-muted border-border-strong',
};

/** Where a repository mission's changes stand: waiting for a reviewer, merged or discarded. */
export function ReviewStatusBadge({ status }: { status: ReviewStatus }) {
  return (
    <span className={cx('inline-flex items-center rounded-full border px-2 py-0.5 text-xs font-medium whitespace-nowrap', TONE[status])} data-testid="review-status" data-status={status}>
      {REVIEW_STATUS_LABEL[status]}
    </span>
  );
}
