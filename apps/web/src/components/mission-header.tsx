import { isTerminalStatus, type MissionStatus } from '@garrison/core';
import type { Mission, Workspace } from '../lib/api-types';
import { describeReason, firstLine, formatDateTime, formatDuration } from '../lib/format';
import { StatusBadge } from './status-badge';

interface Props {
  mission: Mission;
  status: MissionStatus;
  reason: string | null;
  exitCode: number | null;
  workspace: Workspace | null;
  now: number;
  canceling: boolean;
  actionError: string | null;
  onCancel(): void;
}

export function MissionHeader({ mission, status, reason, exitCode, workspace, now, canceling, actionError, onCancel }: Props) {
  const terminal = isTerminalStatus(status);
  const cancelRequested = mission.cancelRequestedBy !== null && !terminal;
  const duration = formatDuration(mission.startedAt, terminal ? mission.endedAt : null, now);
  const title = firstLine(mission.prompt, 120) || 'Mission';

  return (
    <header className="mission-header panel">
      <div className="mission-title-row">
        <div className="mission-title">
          <p className="eyebrow">
            Mission <code>{mission.id}</code>
          </p>
          <h1>{title}</h1>
        </div>
        <button
          type="button"
          className="button button-danger"
          onClick={onCancel}
          disabled={terminal || canceling || cancelRequested}
          title={terminal ? 'This mission has ended.' : 'Stop the agent and end the mission as canceled.'}
        >
          {canceling ? 'Canceling…' : cancelRequested ? 'Cancel requested' : 'Cancel mission'}
        </button>
      </div>
      {actionError ? (
        <p className="form-error" role="alert">
          {actionError}
        </p>
      ) : null}
      <dl className="facts">
        <div>
          <dt>Status</dt>
          <dd data-testid="mission-status" data-status={status} aria-live="polite">
            <StatusBadge status={status} />
            {reason ? <span className="muted"> {describeReason(reason)}</span> : null}
          </dd>
        </div>
        <div>
          <dt>Exit code</dt>
          <dd data-testid="mission-exit-code">{exitCode ?? '—'}</dd>
        </div>
        <div>
          <dt>Agent</dt>
          <dd>{mission.agent}</dd>
        </div>
        <div>
          <dt>Workspace</dt>
          <dd title={mission.workspaceId}>{workspace?.name ?? mission.workspaceId}</dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>{formatDateTime(mission.createdAt)}</dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>{formatDateTime(mission.startedAt)}</dd>
        </div>
        <div>
          <dt>Ended</dt>
          <dd>{formatDateTime(mission.endedAt)}</dd>
        </div>
        <div>
          <dt>Duration</dt>
          <dd>{duration ?? '—'}</dd>
        </div>
      </dl>
      <details className="prompt-details">
        <summary>Prompt</summary>
        <pre>{mission.prompt}</pre>
      </details>
    </header>
  );
}
