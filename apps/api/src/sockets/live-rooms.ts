import type { Redis } from 'ioredis';
import type { Server, Socket } from 'socket.io';
import { LIVE_EVICTIONS_CHANNEL, LiveEviction, memberRoom, redisName, sessionRoom, tokenRoom } from '@garrison/core';
import { findMembership, type Db } from '@garrison/db';
import type { Caller } from '../auth/caller.ts';

/** What services call when someone must lose their live rooms now (membership, role, session). */
export interface LiveRooms {
  closeMember(teamId: string, userId: string, reason: string): Promise<void>;
  closeSessions(sessionIds: string[], reason: string): Promise<void>;
  closeToken(tokenId: string, reason: string): Promise<void>;
}

/**
 * Published on Redis rather than applied to this node's sockets only: every API node hears the
 * eviction and disconnects its own sockets in those rooms, so it holds behind a load balancer.
 */
export function redisLiveRooms(redis: Redis, prefix: string): LiveRooms {
  const evict = async (eviction: LiveEviction): Promise<void> => {
    await redis.publish(redisName(prefix, LIVE_EVICTIONS_CHANNEL), JSON.stringify(eviction));
  };
  return {
    closeMember: (teamId, userId, reason) => evict({ rooms: [memberRoom(teamId, userId)], reason }),
    closeToken: (tokenId, reason) => evict({ rooms: [tokenRoom(tokenId)], reason }),
    async closeSessions(sessionIds, reason) {
      for (let start = 0; start < sessionIds.length; start += 100) {
        await evict({ rooms: sessionIds.slice(start, start + 100).map(sessionRoom), reason });
      }
    },
  };
}

/** Joined at connect, so the socket can be found by user+team and by session later. */
export async function joinIdentityRooms(socket: Socket, caller: Caller, db: Db): Promise<void> {
  await socket.join(memberRoom(caller.teamId, caller.userId));
  if (caller.sessionId) await socket.join(sessionRoom(caller.sessionId));
  if (caller.tokenId) await socket.join(tokenRoom(caller.tokenId));
  // A removal published between the handshake's check and the joins above found no socket to
  // drop: look once more now that the socket is findable.
  const membership = await findMembership(db, caller.userId, caller.teamId);
  if (!membership || membership.role !== caller.role) socket.disconnect(true);
}

export function relayLiveEviction(io: Server, message: string): void {
  const parsed = LiveEviction.safeParse(JSON.parse(message));
  if (parsed.success) io.in(parsed.data.rooms).disconnectSockets(true);
}
