'use client';

import { useCallback, useEffect, useState } from 'react';
import { callApi, messageOf } from '../lib/api';
import type { Mission, Workspace } from '../lib/api-types';
import { usePolling } from '../lib/use-polling';
import { useSignInRedirect } from '../lib/use-sign-in-redirect';
import { MissionsTable } from './missions-table';
import { NewMissionForm } from './new-mission-form';
import { WorkspacesPanel } from './workspaces-panel';

const MISSIONS_REFRESH_MS = 3000;

export function HomeView() {
  const redirectIfSignedOut = useSignInRedirect();
  const [workspaces, setWorkspaces] = useState<Workspace[] | null>(null);
  const [workspacesError, setWorkspacesError] = useState<string | null>(null);
  const [workspaceId, setWorkspaceId] = useState('');
  const [missions, setMissions] = useState<Mission[] | null>(null);
  const [missionsError, setMissionsError] = useState<string | null>(null);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    const controller = new AbortController();
    callApi<{ workspaces: Workspace[] }>('/workspaces', { signal: controller.signal }).then(
      (body) => {
        setWorkspaces(body.workspaces);
        // The newest workspace is the likeliest target.
        setWorkspaceId((current) => current || (body.workspaces.at(-1)?.id ?? ''));
      },
      (failure: unknown) => {
        if (!controller.signal.aborted && !redirectIfSignedOut(failure)) setWorkspacesError(messageOf(failure));
      },
    );
    return () => controller.abort();
  }, [redirectIfSignedOut]);

  const refreshMissions = useCallback(async () => {
    try {
      const body = await callApi<{ missions: Mission[] }>('/missions?limit=25');
      setMissions(body.missions);
      setMissionsError(null);
    } catch (failure) {
      if (!redirectIfSignedOut(failure)) setMissionsError(messageOf(failure));
    }
    setNow(Date.now());
  }, [redirectIfSignedOut]);
  usePolling(refreshMissions, MISSIONS_REFRESH_MS);

  function onWorkspaceCreated(workspace: Workspace): void {
    setWorkspaces((current) => [...(current ?? []), workspace]);
    setWorkspaceId(workspace.id);
  }

  return (
    <div className="home-grid">
      <div className="home-main">
        <NewMissionForm workspaces={workspaces} workspaceId={workspaceId} onWorkspaceChange={setWorkspaceId} />
        <MissionsTable missions={missions} workspaces={workspaces} loadError={missionsError} now={now} />
      </div>
      <aside className="home-side">
        <WorkspacesPanel workspaces={workspaces} loadError={workspacesError} onCreated={onWorkspaceCreated} />
      </aside>
    </div>
  );
}
