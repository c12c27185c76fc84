import type { Redis } from 'ioredis';
import type { MissionEvent } from '@garrison/core';
import type { PublishEvents } from './event-ingestor.ts';
import type { ScopeOf } from './mission-scope.ts';

/**
 * Redis drops a pub/sub subscriber whose unread output passes 32 MB (or 8 MB for a minute), and
 * one committed batch of a flooding agent holds 2000 pieces of 64 KiB. Sent whole, it cost every
 * API node its subscription; so a batch goes out as messages of about this size, in order.
 */
const MAX_MESSAGE_BYTES = 1024 * 1024;

/**
 * `scopeOf` names the mission's team and workspace in a batch holding a status change, so the API
 * can tell the team's room (MissionBroadcast) without a query of its own.
 */
export function createEventPublisher(redis: Redis, channel: string, scopeOf?: ScopeOf): PublishEvents {
  return async (missionId: string, events: MissionEvent[]): Promise<void> => {
    const scope = scopeOf && events.some((event) => event.type === 'mission.status') ? await scopeOf(missionId).catch(() => null) : null;
    const named = scope ? `,"teamId":${JSON.stringify(scope.teamId)},"workspaceId":${JSON.stringify(scope.workspaceId)}` : '';
    const head = `{"missionId":${JSON.stringify(missionId)}${named},"events":[`;
    let parts: string[] = [];
    let bytes = 0;
    const send = async (): Promise<void> => {
      if (parts.length === 0) return;
      const message = `${head}${parts.join(',')}]}`;
      parts = [];
      bytes = 0;
      await redis.publish(channel, message);
    };
    for (const event of events) {
      const json = JSON.stringify(event);
      const size = Buffer.byteLength(json);
      if (bytes + size > MAX_MESSAGE_BYTES) await send();
      parts.push(json);
      bytes += size;
    }
    await send();
  };
}
