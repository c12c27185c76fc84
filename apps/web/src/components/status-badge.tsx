import type { MissionStatus } from '@garrison/core';
import { statusLabel } from '../lib/format';

export function StatusBadge({ status }: { status: MissionStatus }) {
  return (
    <span className={`badge badge-${status}`} data-status={status}>
      {statusLabel(status)}
    </span>
  );
}
