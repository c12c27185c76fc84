'use client';

import Link from 'next/link';
import { useState } from 'react';
import type { Workspace } from '../lib/api-types';
import { formatDateTime, formatRelative } from '../lib/format';
import { workspacePath } from '../lib/paths';
import { queryKeys, useApiQuery } from '../lib/queries';
import { NETWORK_POLICY_LABEL, describeLimits } from '../lib/workspace-format';
import { NewWorkspaceDialog } from './new-workspace-dialog';
import { Button, EmptyState, ErrorNote, Fact, Loading, PageHeader } from './ui';
import { useCanWrite } from '../lib/use-role';
import { ViewerNote } from './viewer-note';
import { WorkspaceActions } from './workspace-actions';
import { WorkspaceStatusBadge } from './workspace-status-badge';
import { WorkspaceUsage } from './workspace-usage';

/** The team's workspaces: state, what each is made of, live usage, and their lifecycle. */
export function WorkspacesView() {
  const workspaces = useApiQuery<{ workspaces: Workspace[] }>(queryKeys.workspaces, '/workspaces', {
    // Status changes are pushed by the team room; a workspace still being created is polled too.
    refetchInterval: (query) => (query.state.data?.workspaces.some((workspace) => workspace.status === 'creating') ? 3_000 : false),
  });
  const [creating, setCreating] = useState(false);
  const canWrite = useCanWrite() !== false;
  const list = workspaces.data?.workspaces ?? [];
  const now = Date.now();

  return (
    <div>
      <PageHeader
        title="Workspaces"
        description="Each workspace is a container of its own with a persistent volume; missions and terminals run inside it."
        actions={
          canWrite ? (
            <Button variant="primary" onClick={() => setCreating(true)}>
              New workspace
            </Button>
          ) : null
        }
      />
      {workspaces.isPending ? <Loading label="Loading workspaces…" /> : null}
      <ErrorNote>{workspaces.error ? `Could not load the workspaces: ${workspaces.error.message}` : null}</ErrorNote>
      {workspaces.data && list.length === 0 ? (
        <EmptyState
          title="No workspaces yet"
          action={
            canWrite ? (
              <Button variant="primary" onClick={() => setCreating(true)}>
                Create your first workspace
              </Button>
            ) : (
              <ViewerNote />
            )
          }
        >
          A workspace is where agents work: a sandboxed container with its own files, network policy and CPU and memory limits, made
          from a template. Create one, then dispatch missions into it.
        </EmptyState>
      ) : null}
      {list.length > 0 ? (
        <ul className="grid gap-3 xl:grid-cols-2" data-testid="workspace-list" aria-label="Workspaces">
          {list.map((workspace) => (
            <WorkspaceCard key={workspace.id} workspace={workspace} now={now} />
          ))}
        </ul>
      ) : null}
      <NewWorkspaceDialog open={creating} onOpenChange={setCreating} />
    </div>
  );
}

function WorkspaceCard({ workspace, now }: { workspace: Workspace; now: number }) {
  const missions = workspace.missions;
  return (
    <li className="flex flex-col gap-3 rounded-lg border border-border bg-panel p-4" data-workspace-id={workspace.id} data-testid="workspace-card">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-2">
            <Link href={workspacePath(workspace.id)} className="truncate text-base font-semibold text-fg hover:underline">
              {workspace.name}
            </Link>
            <WorkspaceStatusBadge status={workspace.status} />
          </div>
          {workspace.statusMessage ? (
            <p className={workspace.status === 'error' ? 'mt-1 text-sm text-danger' : 'mt-1 text-sm text-muted'}>{workspace.statusMessage}</p>
          ) : null}
        </div>
        <WorkspaceActions workspace={workspace} size="sm" />
      </div>
      <dl className="grid grid-cols-2 gap-x-4 gap-y-2 text-sm md:grid-cols-3">
        <div className="min-w-0">
          <dt className="text-xs text-muted">Template</dt>
          <dd className="truncate" title={workspace.template?.image}>
            {workspace.template ? (
              <>
                {workspace.template.name} <span className="font-mono text-xs text-muted">{workspace.template.image}</span>
              </>
            ) : (
              '—'
            )}
          </dd>
        </div>
        <Fact label="Network">{workspace.networkPolicy ? NETWORK_POLICY_LABEL[workspace.networkPolicy] : '—'}</Fact>
        <Fact label="Limits">{describeLimits(workspace.limits)}</Fact>
        <Fact label="Missions" testId="workspace-missions">
          {missions ? (
            <Link href={`/missions?workspace=${encodeURIComponent(workspace.id)}`} className="hover:underline">
              {missions.total} total{missions.open > 0 ? `, ${missions.open} open` : ''}
            </Link>
          ) : (
            '—'
          )}
        </Fact>
        <Fact label="Created">
          <time dateTime={workspace.createdAt} title={formatDateTime(workspace.createdAt)}>
            {formatRelative(workspace.createdAt, now)}
          </time>
        </Fact>
        <Fact label="Usage">
          <WorkspaceUsage workspace={workspace} />
        </Fact>
      </dl>
    </li>
  );
}
