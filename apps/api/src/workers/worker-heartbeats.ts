import type { Redis } from 'ioredis';
import { HEARTBEAT_FRESH_MS, WorkerHeartbeat, workerHeartbeatsKey } from '@garrison/core';

/** What the workers report (the API never talks to Docker): beats older than HEARTBEAT_FRESH_MS are ignored. */
export async function freshHeartbeats(redis: Redis, prefix: string): Promise<WorkerHeartbeat[]> {
  return Object.values(await redis.hgetall(workerHeartbeatsKey(prefix))).flatMap((raw) => {
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      return [];
    }
    const parsed = WorkerHeartbeat.safeParse(value);
    return parsed.success && Date.now() - Date.parse(parsed.data.at) < HEARTBEAT_FRESH_MS ? [parsed.data] : [];
  });
}
