'use client';

import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { io } from 'socket.io-client';
import { queryKeys } from './queries';

/**
 * Socket events the API sends to every socket of a team (`team:<teamId>` room, joined at
 * connect): a mission was created or changed status, a workspace changed status. They carry
 * ids and the new status only; the pages refetch what they show.
 */
export const TEAM_MISSION_EVENT = 'team:mission';
export const TEAM_WORKSPACE_EVENT = 'team:workspace';

export type LiveState = 'connecting' | 'live' | 'offline';

interface TeamMissionChange {
  missionId: string;
  workspaceId?: string;
}
interface TeamWorkspaceChange {
  workspaceId: string;
}

function onMissionChange(client: QueryClient, change: TeamMissionChange): void {
  void client.invalidateQueries({ queryKey: queryKeys.missions });
  void client.invalidateQueries({ queryKey: queryKeys.overview });
  void client.invalidateQueries({ queryKey: queryKeys.mission(change.missionId) });
  if (change.workspaceId) void client.invalidateQueries({ queryKey: queryKeys.workspace(change.workspaceId) });
}

function onWorkspaceChange(client: QueryClient, change: TeamWorkspaceChange): void {
  void client.invalidateQueries({ queryKey: queryKeys.workspaces });
  void client.invalidateQueries({ queryKey: queryKeys.overview });
  void client.invalidateQueries({ queryKey: queryKeys.workspace(change.workspaceId) });
}

/**
 * One team-room socket per tab, for the whole dashboard. After a reconnect everything is
 * refetched: changes made while offline were not pushed to us.
 */
export function useTeamLive(): LiveState {
  const client = useQueryClient();
  const [state, setState] = useState<LiveState>('connecting');

  useEffect(() => {
    // forceNew: socket.io-client otherwise hands every `io()` on this origin the same cached
    // socket, and the mission log's stream (which tracks its own connection and seq) would share
    // this one and its disconnects.
    const socket = io({ path: '/socket.io', transports: ['polling', 'websocket'], withCredentials: true, forceNew: true });
    let connectedBefore = false;
    socket.on('connect', () => {
      setState('live');
      if (connectedBefore) void client.invalidateQueries();
      connectedBefore = true;
    });
    socket.on('disconnect', (reason) => {
      setState('offline');
      // The API drops a socket when the role, team or session behind it changed: connect again
      // and be authorized afresh (a removed member's handshake is then refused).
      if (reason === 'io server disconnect') socket.connect();
    });
    socket.on('connect_error', () => setState('offline'));
    socket.on(TEAM_MISSION_EVENT, (change: TeamMissionChange) => onMissionChange(client, change));
    socket.on(TEAM_WORKSPACE_EVENT, (change: TeamWorkspaceChange) => onWorkspaceChange(client, change));
    return () => {
      socket.disconnect();
    };
  }, [client]);

  return state;
}
