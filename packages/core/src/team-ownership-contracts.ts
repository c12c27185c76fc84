import { z } from 'zod';

/** Owner-only team actions (POST /team/transfer, DELETE /team) and the live-room eviction message. */

export const TransferTeamBody = z.object({ userId: z.string().trim().min(1, 'must not be empty').max(64, 'must be at most 64 characters') });
export type TransferTeamBody = z.infer<typeof TransferTeamBody>;

export const DeleteTeamBody = z.object({ confirm: z.string().max(200, 'must be at most 200 characters') });
export type DeleteTeamBody = z.infer<typeof DeleteTeamBody>;

/** Every socket of one user acting for one team joins this room at connect. */
export function memberRoom(teamId: string, userId: string): string {
  return `member:${teamId}:${userId}`;
}

/** Every socket opened with one browser session joins this room at connect. */
export function sessionRoom(sessionId: string): string {
  return `session:${sessionId}`;
}

/** Every socket opened with one API token joins this room at connect. */
export function tokenRoom(tokenId: string): string {
  return `token:${tokenId}`;
}

/** Redis channel (under REDIS_PREFIX) on which any API node asks every node to drop sockets. */
export const LIVE_EVICTIONS_CHANNEL = 'live-evictions';

/**
 * Sockets in these rooms are disconnected on every API node: a member removed or demoted, a
 * session revoked or switched to another team. A client that reconnects is authorized afresh.
 */
export const LiveEviction = z.object({ rooms: z.array(z.string().min(1).max(200)).min(1).max(100), reason: z.string().max(64) });
export type LiveEviction = z.infer<typeof LiveEviction>;
