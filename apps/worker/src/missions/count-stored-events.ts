import type { Redis } from 'ioredis';
import { storedEventsCounterKey } from '@garrison/core';
import type { PublishEvents } from './event-ingestor.ts';

/**
 * Counts events for the API's `garrison_events_stored_total`. A batch is published only after it
 * committed, so counting here counts stored events. The count follows the publish: if Redis is
 * down the publish fails too and nothing is counted twice. A failed count never fails a mission.
 */
export function countStoredEvents(redis: Redis, prefix: string, publish: PublishEvents): PublishEvents {
  const key = storedEventsCounterKey(prefix);
  return async (missionId, events) => {
    await publish(missionId, events);
    if (events.length > 0) await redis.incrby(key, events.length).catch(() => {});
  };
}
