import type { Server } from 'socket.io';
import { MissionStatus, SocketEvent, teamRoom, type MissionBroadcast, type TeamMissionEvent, type TeamWorkspaceEvent, type WorkspaceStatusEvent } from '@garrison/core';

/**
 * Tells a team's dashboards that one of its missions was created or changed status. The broadcast
 * names the team (publishers add it), so this needs no query; one from a publisher that does not
 * is only relayed to the mission's own subscribers.
 */
export function relayTeamMission(io: Server, broadcast: MissionBroadcast): void {
  if (!broadcast.teamId || !broadcast.workspaceId) return;
  for (const event of broadcast.events) {
    if (event.type !== 'mission.status') continue;
    const status = MissionStatus.safeParse(event.payload.status);
    if (!status.success) continue;
    const message: TeamMissionEvent = { missionId: broadcast.missionId, workspaceId: broadcast.workspaceId, status: status.data, updatedAt: event.ts };
    io.to(teamRoom(broadcast.teamId)).emit(SocketEvent.TeamMission, message);
  }
}

export function relayTeamWorkspace(io: Server, event: WorkspaceStatusEvent): void {
  const message: TeamWorkspaceEvent = { workspaceId: event.workspaceId, status: event.status, updatedAt: event.at };
  io.to(teamRoom(event.teamId)).emit(SocketEvent.TeamWorkspace, message);
}
