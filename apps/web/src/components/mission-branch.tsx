import Link from 'next/link';
import type { MissionDetail } from '../lib/mission-detail-types';
import { reviewPath } from '../lib/paths';
import { shortCommit } from '../lib/review-format';
import { ReviewStatusBadge } from './review-status-badge';

/** A repository mission's branch, where it started, its review state and the way to its diff. */
export function MissionBranch({ mission, showReviewLink = true }: { mission: MissionDetail; showReviewLink?: boolean }) {
  if (!mission.branch) return null;
  const base = shortCommit(mission.baseCommit);
  const reviewStatus = mission.reviewStatus ?? 'none';
  return (
    <div className="flex flex-wrap items-center gap-x-3 gap-y-1.5 text-sm" data-testid="mission-branch">
      <span>
        <span className="text-muted">Branch</span> <code className="font-mono">{mission.branch}</code>
        {mission.baseBranch ? (
          <>
            {' '}
            <span className="text-muted">from</span> <code className="font-mono">{mission.baseBranch}</code>
          </>
        ) : null}
        {base ? (
          <span className="text-muted">
            {' '}
            at <code className="font-mono" title={mission.baseCommit ?? undefined}>{base}</code>
          </span>
        ) : null}
      </span>
      <ReviewStatusBadge status={reviewStatus} />
      {mission.pushedAt ? <span className="text-xs text-muted">pushed {new Date(mission.pushedAt).toLocaleString()}</span> : null}
      {showReviewLink && reviewStatus !== 'none' ? (
        <Link href={reviewPath(mission.id)} className="font-medium text-primary underline-offset-2 hover:underline">
          {reviewStatus === 'ready_for_review' ? 'Review the changes →' : 'See the changes →'}
        </Link>
      ) : null}
    </div>
  );
}
