import { z } from 'zod';

/** Socket.IO event names and payloads between the API and dashboard clients. */
export const SocketEvent = {
  Subscribe: 'mission:subscribe',
  Unsubscribe: 'mission:unsubscribe',
  Event: 'mission:event',
  WorkspaceSubscribe: 'workspace:subscribe',
  WorkspaceUnsubscribe: 'workspace:unsubscribe',
  WorkspaceStatus: 'workspace:status',
  WorkspaceInitOutput: 'workspace:init-output',
  ImagesSubscribe: 'images:subscribe',
  ImageProgress: 'image:progress',
  /** To the team room (teamRoom): a mission was created or changed status (TeamMissionEvent). */
  TeamMission: 'team:mission',
  /** To the team room: a workspace changed status (TeamWorkspaceEvent). */
  TeamWorkspace: 'team:workspace',
} as const;

export const WorkspaceSubscribeRequest = z.object({ workspaceId: z.string().min(1) });

export const SubscribeRequest = z.object({
  missionId: z.string().min(1),
  afterSeq: z.number().int().min(0).default(0),
});
export type SubscribeRequest = z.infer<typeof SubscribeRequest>;

export const UnsubscribeRequest = z.object({ missionId: z.string().min(1) });

/**
 * `prunedThroughSeq` is there once event retention deleted the mission's older events: below it
 * seq has holes by design (its `mission.result` and final `mission.status` are kept).
 */
export type SubscribeAck = { ok: true; headSeq: number; prunedThroughSeq?: number } | { ok: false; code: string; message: string };

/** The room every connection of a team joins on connect; team-wide status changes go there. */
export function teamRoom(teamId: string): string {
  return `team:${teamId}`;
}
