'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import type { Workspace } from '../lib/api-types';
import { formatDateTime } from '../lib/format';
import { queryKeys, useApiQuery } from '../lib/queries';
import { NETWORK_POLICY_LABEL, describeLimits } from '../lib/workspace-format';
import { FileBrowser } from './file-browser';
import { LoadFailed } from './load-failed';
import { RepositoriesPanel } from './repositories-panel';
import { TerminalPanel } from './terminal-panel';
import { useCanWrite } from '../lib/use-role';
import { ViewerNote } from './viewer-note';
import { Fact, Loading, Panel } from './ui';
import { WorkspaceActions } from './workspace-actions';
import { WorkspaceMissions } from './workspace-missions';
import { WorkspaceProgress } from './workspace-progress';
import { WorkspaceStatusBadge } from './workspace-status-badge';
import { WorkspaceUsage } from './workspace-usage';

/** One workspace: status and lifecycle, live usage, setup log, a terminal, its files and its missions. */
export function WorkspaceView({ workspaceId }: { workspaceId: string }) {
  const router = useRouter();
  // Viewers watch: no terminal (it runs commands; the API refuses them one).
  const canWrite = useCanWrite() !== false;
  const query = useApiQuery<Workspace>(queryKeys.workspace(workspaceId), `/workspaces/${encodeURIComponent(workspaceId)}`, {
    // Status changes are pushed by the team room; while one is under way, poll as well.
    refetchInterval: (state) => (state.state.data?.status === 'creating' ? 2_000 : false),
  });
  const workspace = query.data;
  useEffect(() => {
    if (workspace) document.title = `${workspace.name} · Garrison`;
  }, [workspace]);

  if (query.error && !workspace) return <LoadFailed what="workspace" error={query.error} />;
  if (!workspace) return <Loading label="Loading workspace…" />;

  const running = workspace.status === 'running';
  return (
    <div className="space-y-4">
      <header className="rounded-lg border border-border bg-panel p-4">
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div className="min-w-0">
            <p className="text-xs text-muted">
              Workspace <code className="font-mono">{workspace.id}</code>
            </p>
            <div className="mt-0.5 flex flex-wrap items-center gap-2">
              <h1 className="text-xl font-semibold">{workspace.name}</h1>
              <span aria-live="polite">
                <WorkspaceStatusBadge status={workspace.status} />
              </span>
            </div>
            {workspace.statusMessage ? (
              <p className={workspace.status === 'error' ? 'mt-1 text-sm text-danger' : 'mt-1 text-sm text-muted'}>{workspace.statusMessage}</p>
            ) : null}
          </div>
          <WorkspaceActions workspace={workspace} onDestroyed={() => router.push('/workspaces')} />
        </div>
        <dl className="mt-4 grid grid-cols-2 gap-x-6 gap-y-2 text-sm md:grid-cols-3 lg:grid-cols-5">
          <div className="min-w-0">
            <dt className="text-xs text-muted">Template</dt>
            <dd className="truncate" title={workspace.template?.image}>
              {workspace.template ? `${workspace.template.name} · ${workspace.template.image}` : '—'}
            </dd>
          </div>
          <Fact label="Network">{workspace.networkPolicy ? NETWORK_POLICY_LABEL[workspace.networkPolicy] : '—'}</Fact>
          <Fact label="Limits">{describeLimits(workspace.limits)}</Fact>
          <Fact label="Created">{formatDateTime(workspace.createdAt)}</Fact>
          <Fact label="Last active">{formatDateTime(workspace.lastActiveAt)}</Fact>
        </dl>
      </header>
      <div className="grid items-start gap-4 lg:grid-cols-[minmax(0,1fr)_minmax(0,2fr)]">
        <Panel id="workspace-usage" title="Live usage" actions={<span className="text-xs text-muted">Every 5 s while shown</span>}>
          <WorkspaceUsage workspace={workspace} layout="panel" />
        </Panel>
        <WorkspaceMissions workspaceId={workspace.id} canDispatch={workspace.status !== 'destroyed'} />
      </div>
      <RepositoriesPanel workspaceId={workspace.id} canAdd={running} />
      <WorkspaceProgress workspaceId={workspace.id} status={workspace.status} />
      <div className="workspace-grid">
        {canWrite ? (
          <TerminalPanel workspaceId={workspace.id} running={running} />
        ) : (
          <section className="panel terminal-panel" aria-labelledby="terminal-heading">
            <div className="panel-heading">
              <h2 id="terminal-heading">Terminal</h2>
            </div>
            <ViewerNote what="A terminal runs commands in the workspace" />
          </section>
        )}
        <FileBrowser workspaceId={workspace.id} running={running} />
      </div>
    </div>
  );
}
