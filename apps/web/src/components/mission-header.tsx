import Link from 'next/link';
import { isTerminalStatus, type MissionStatus } from '@garrison/core';
import type { Workspace } from '../lib/api-types';
import { describeReason, firstLine, formatDateTime, formatDuration } from '../lib/format';
import type { MissionDetail } from '../lib/mission-detail-types';
import { missionPath, workspacePath } from '../lib/paths';
import { MissionBranch } from './mission-branch';
import { StatusBadge } from './status-badge';
import { Button, ErrorNote } from './ui';
import { VIEWER_REASON, useCanWrite } from '../lib/use-role';

interface Props {
  mission: MissionDetail;
  status: MissionStatus;
  reason: string | null;
  exitCode: number | null;
  workspace: Workspace | null;
  now: number;
  canceling: boolean;
  retrying: boolean;
  actionError: string | null;
  onCancel(): void;
  onRetry(): void;
}

function Fact({ label, children, ...data }: { label: string; children: React.ReactNode } & Record<`data-${string}`, string>) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-muted">{label}</dt>
      <dd className="truncate text-sm" {...data}>
        {children}
      </dd>
    </div>
  );
}

/** The mission's title, status with its reason, where it runs, its links to retries, and what can be done to it. */
export function MissionHeader({ mission, status, reason, exitCode, workspace, now, canceling, retrying, actionError, onCancel, onRetry }: Props) {
  const terminal = isTerminalStatus(status);
  const canWrite = useCanWrite() !== false;
  const cancelRequested = mission.cancelRequestedBy !== null && !terminal;
  const duration = formatDuration(mission.startedAt, terminal ? mission.endedAt : null, now);
  const title = firstLine(mission.prompt, 120) || 'Mission';
  const reasonText = describeReason(reason);

  return (
    <header className="rounded-lg border border-border bg-panel p-4">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <p className="text-xs text-muted">
            Mission <code className="font-mono">{mission.id}</code>
          </p>
          <h1 className="mt-0.5 text-xl font-semibold break-words">{title}</h1>
          {mission.retryOfId ? (
            <p className="mt-1 text-sm" data-testid="retry-of">
              Retry of <Link className="font-mono text-primary underline underline-offset-2" href={missionPath(mission.retryOfId)}>{mission.retryOfId}</Link>
            </p>
          ) : null}
          {mission.retries.length > 0 ? (
            <p className="mt-1 text-sm" data-testid="retries">
              Retried as{' '}
              {mission.retries.map((retry, index) => (
                <span key={retry.id}>
                  {index > 0 ? ', ' : ''}
                  <Link className="font-mono text-primary underline underline-offset-2" href={missionPath(retry.id)}>
                    {retry.id}
                  </Link>{' '}
                  <StatusBadge status={retry.status} />
                </span>
              ))}
            </p>
          ) : null}
        </div>
        {canWrite ? null : (
          <p className="max-w-xs text-xs text-muted" data-testid="viewer-note">
            {VIEWER_REASON}
          </p>
        )}
        <div className={canWrite ? 'flex flex-wrap gap-2' : 'hidden'}>
          {terminal ? (
            <Button
              variant="primary"
              busy={retrying}
              onClick={onRetry}
              title="Start a new mission with the same workspace, agent, prompt and settings. This one stays as it is."
            >
              {retrying ? 'Starting…' : status === 'completed' ? 'Run again' : 'Retry mission'}
            </Button>
          ) : null}
          <Button
            variant="danger"
            onClick={onCancel}
            disabled={terminal || canceling || cancelRequested}
            title={terminal ? 'This mission has ended.' : 'Stop the agent and end the mission as canceled.'}
          >
            {canceling ? 'Canceling…' : cancelRequested ? 'Cancel requested' : 'Cancel mission'}
          </Button>
        </div>
      </div>
      <ErrorNote className="mt-3">{actionError}</ErrorNote>
      <dl className="mt-3 grid grid-cols-2 gap-x-4 gap-y-2 md:grid-cols-4 xl:grid-cols-8">
        <div className="col-span-2 min-w-0">
          <dt className="text-xs text-muted">Status</dt>
          <dd className="flex flex-wrap items-baseline gap-1.5 text-sm" data-testid="mission-status" data-status={status} aria-live="polite">
            <StatusBadge status={status} />
            {reasonText ? <span className="text-muted">{reasonText}</span> : null}
            {status === 'queued' && mission.queuePosition ? <span className="text-muted">#{mission.queuePosition} in line</span> : null}
          </dd>
        </div>
        <Fact label="Exit code" data-testid="mission-exit-code">{exitCode ?? '—'}</Fact>
        <Fact label="Agent">
          {mission.agent}
          {mission.model ? <span className="text-muted"> · {mission.model}</span> : null}
        </Fact>
        <Fact label="Workspace">
          <Link className="text-primary underline-offset-2 hover:underline" href={workspacePath(mission.workspaceId)} title={mission.workspaceId}>
            {workspace?.name ?? mission.workspaceId}
          </Link>
        </Fact>
        <Fact label="Created">{formatDateTime(mission.createdAt)}</Fact>
        <Fact label="Ended">{formatDateTime(mission.endedAt)}</Fact>
        <Fact label="Duration">{duration ?? '—'}</Fact>
      </dl>
      <div className="mt-3 empty:hidden">
        <MissionBranch mission={mission} />
      </div>
      <details className="mt-3 text-sm">
        <summary className="cursor-pointer text-muted hover:text-fg">Prompt</summary>
        <pre className="mt-1.5 max-h-64 overflow-auto rounded-md bg-subtle p-2.5 font-mono text-xs whitespace-pre-wrap">{mission.prompt}</pre>
      </details>
    </header>
  );
}
