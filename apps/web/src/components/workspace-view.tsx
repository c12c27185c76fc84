'use client';

import { useRouter } from 'next/navigation';
import { useCallback, useState } from 'react';
import { ApiError, callApi, messageOf } from '../lib/api';
import type { Mission, Workspace } from '../lib/api-types';
import { formatDateTime } from '../lib/format';
import { usePolling } from '../lib/use-polling';
import { useSignInRedirect } from '../lib/use-sign-in-redirect';
import { FileBrowser } from './file-browser';
import { LoadFailed } from './load-failed';
import { MissionsTable } from './missions-table';
import { TerminalPanel } from './terminal-panel';
import { WorkspaceActions } from './workspace-actions';
import { WorkspaceProgress } from './workspace-progress';

const REFRESH_MS = 2000;

/** One workspace: its status and lifecycle, a terminal, its files, and its missions. */
export function WorkspaceView({ workspaceId }: { workspaceId: string }) {
  const router = useRouter();
  const redirectIfSignedOut = useSignInRedirect();
  const [workspace, setWorkspace] = useState<Workspace | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [missions, setMissions] = useState<Mission[] | null>(null);
  const [missionsError, setMissionsError] = useState<string | null>(null);
  const [now, setNow] = useState(() => Date.now());

  const refresh = useCallback(async () => {
    try {
      const [next, list] = await Promise.all([
        callApi<Workspace>(`/workspaces/${encodeURIComponent(workspaceId)}`),
        callApi<{ missions: Mission[] }>(`/missions?workspaceId=${encodeURIComponent(workspaceId)}&limit=20`).catch((failure: unknown) => {
          setMissionsError(messageOf(failure));
          return null;
        }),
      ]);
      setWorkspace(next);
      document.title = `${next.name} · Garrison`;
      setLoadError(null);
      if (list) {
        setMissions(list.missions);
        setMissionsError(null);
      }
    } catch (failure) {
      if (redirectIfSignedOut(failure)) return;
      setLoadError(failure instanceof ApiError ? failure : new ApiError(0, 'unknown', messageOf(failure)));
    }
    setNow(Date.now());
  }, [workspaceId, redirectIfSignedOut]);
  usePolling(refresh, REFRESH_MS);

  if (loadError && !workspace) return <LoadFailed what="workspace" error={loadError} />;
  if (!workspace) return <p className="muted">Loading workspace…</p>;

  const running = workspace.status === 'running';
  return (
    <div className="workspace-page">
      <header className="panel workspace-header">
        <div className="workspace-title-row">
          <div>
            <p className="eyebrow">
              Workspace <code>{workspace.id}</code>
            </p>
            <h1>{workspace.name}</h1>
          </div>
          <WorkspaceActions workspace={workspace} onChanged={() => void refresh()} onDestroyed={() => router.push('/')} />
        </div>
        <dl className="facts">
          <div>
            <dt>Status</dt>
            <dd data-testid="workspace-status" data-status={workspace.status} aria-live="polite">
              <span className={`badge badge-ws-${workspace.status}`}>{workspace.status}</span>
              {workspace.statusMessage ? <span className="muted"> {workspace.statusMessage}</span> : null}
            </dd>
          </div>
          <div>
            <dt>Created</dt>
            <dd>{formatDateTime(workspace.createdAt)}</dd>
          </div>
          <div>
            <dt>Last active</dt>
            <dd>{formatDateTime(workspace.lastActiveAt)}</dd>
          </div>
        </dl>
      </header>
      <WorkspaceProgress workspaceId={workspace.id} status={workspace.status} />
      <div className="workspace-grid">
        <TerminalPanel workspaceId={workspace.id} running={running} />
        <FileBrowser workspaceId={workspace.id} running={running} />
      </div>
      <MissionsTable
        missions={missions}
        workspaces={[workspace]}
        loadError={missionsError}
        now={now}
        title="Missions in this workspace"
        emptyText="No missions in this workspace yet; dispatch one from the home page."
      />
    </div>
  );
}
