import type { LiveState } from '../lib/team-live';

const TEXT: Record<LiveState, string> = { connecting: 'Connecting…', live: 'Live', offline: 'Offline: reconnecting' };
const DOT: Record<LiveState, string> = { connecting: 'bg-warn', live: 'bg-ok', offline: 'bg-danger' };

/** Whether the dashboard is receiving live updates; pages still refetch on their own when it is not. */
export function LiveIndicator({ state }: { state: LiveState }) {
  return (
    <span className="inline-flex items-center gap-1.5 text-xs text-muted" data-testid="team-live" data-state={state} role="status">
      <span className={`inline-block size-2 rounded-full ${DOT[state]}`} aria-hidden="true" />
      {TEXT[state]}
    </span>
  );
}
