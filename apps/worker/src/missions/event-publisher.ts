import type { Redis } from 'ioredis';
import type { MissionEvent } from '@garrison/core';
import type { PublishEvents } from './event-ingestor.ts';

/**
 * Redis drops a pub/sub subscriber whose unread output passes 32 MB (or 8 MB for a minute), and
 * one committed batch of a flooding agent holds 2000 pieces of 64 KiB. Sent whole, it cost every
 * API node its subscription; so a batch goes out as messages of about this size, in order.
 */
const MAX_MESSAGE_BYTES = 1024 * 1024;

export function createEventPublisher(redis: Redis, channel: string): PublishEvents {
  return async (missionId: string, events: MissionEvent[]): Promise<void> => {
    const head = `{"missionId":${JSON.stringify(missionId)},"events":[`;
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
