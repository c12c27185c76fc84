'use client';

import { useRef } from 'react';
import type { Workspace, WorkspaceStats } from '../lib/api-types';
import { queryKeys, useApiQuery } from '../lib/queries';
import { useInView } from '../lib/use-in-view';
import { formatBytes, formatCpus } from '../lib/workspace-format';
import { cx } from './ui';

const POLL_MS = 5_000;

/**
 * Live CPU and memory of a running workspace: one engine sample every 5 s, only while the figures
 * are on screen and the tab is visible (TanStack pauses interval refetches in background tabs).
 */
export function useWorkspaceStats(workspace: Pick<Workspace, 'id' | 'status'>, visible = true) {
  const running = workspace.status === 'running';
  // A null path pauses the query (useApiQuery's `enabled`); the last sample stays shown.
  return useApiQuery<WorkspaceStats>([...queryKeys.workspace(workspace.id), 'stats'], running && visible ? `/workspaces/${encodeURIComponent(workspace.id)}/stats` : null, {
    refetchInterval: POLL_MS,
    refetchIntervalInBackground: false,
    staleTime: 0,
    retry: false,
  });
}

function Meter({ label, value, fraction }: { label: string; value: string; fraction: number }) {
  const percent = Math.max(0, Math.min(100, fraction * 100));
  return (
    <div className="min-w-0">
      <div className="flex items-baseline justify-between gap-2 text-xs">
        <span className="text-muted">{label}</span>
        <span className="font-mono tabular-nums">{value}</span>
      </div>
      <div className="mt-1 h-1.5 overflow-hidden rounded-full bg-subtle" aria-hidden="true">
        <div className={cx('h-full rounded-full', percent > 85 ? 'bg-danger' : percent > 60 ? 'bg-warn' : 'bg-chart-1')} style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}

/** CPU against the workspace's CPU limit and memory against its memory limit. */
export function WorkspaceUsage({ workspace, layout = 'row' }: { workspace: Workspace; layout?: 'row' | 'panel' }) {
  const ref = useRef<HTMLDivElement>(null);
  const inView = useInView(ref);
  const stats = useWorkspaceStats(workspace, inView);
  const cpus = workspace.limits?.cpus ?? null;

  let body;
  if (workspace.status !== 'running') {
    body = <span className="text-xs text-muted">{layout === 'panel' ? 'Start the workspace to see its live usage.' : '—'}</span>;
  } else if (stats.data) {
    const { cpuPercent, memoryBytes, memoryLimitBytes, pids } = stats.data;
    const cpuFraction = cpus ? cpuPercent / (cpus * 100) : cpuPercent / 100;
    body = (
      <div className={cx('grid gap-2', layout === 'panel' ? 'gap-3' : 'min-w-40')}>
        <Meter label="CPU" value={`${cpuPercent.toFixed(cpuPercent < 10 ? 1 : 0)}%${cpus && layout === 'panel' ? ` of ${formatCpus(cpus)}` : ''}`} fraction={cpuFraction} />
        <Meter label="Memory" value={`${formatBytes(memoryBytes)}${layout === 'panel' ? ` / ${formatBytes(memoryLimitBytes)}` : ''}`} fraction={memoryLimitBytes ? memoryBytes / memoryLimitBytes : 0} />
        {layout === 'panel' ? (
          <div className="text-xs">
            <span className="text-muted">Processes</span> <span className="font-mono tabular-nums">{pids}</span>
            {workspace.limits ? <span className="text-muted"> of {workspace.limits.pidsLimit}</span> : null}
          </div>
        ) : null}
      </div>
    );
  } else if (stats.error) {
    body = (
      <span className="text-xs text-danger" title={stats.error.message}>
        {layout === 'panel' ? stats.error.message : 'Usage unavailable'}
      </span>
    );
  } else {
    body = <span className="text-xs text-muted">Measuring…</span>;
  }
  return (
    <div ref={ref} data-testid="workspace-usage" aria-live="off">
      {body}
    </div>
  );
}
