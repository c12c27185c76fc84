import { redisName } from './queue-contracts.ts';

/**
 * Counters the worker keeps in Redis for the API's `/metrics` (the API is the only process
 * Prometheus scrapes): one INCRBY per committed and published batch, shared by every worker
 * host, kept across restarts by Redis's AOF.
 */
export function storedEventsCounterKey(prefix: string): string {
  return redisName(prefix, 'metrics:events-stored');
}

/** Upper bounds (seconds) of the dispatch latency histogram: a mission's queued -> running. */
export const DISPATCH_LATENCY_BUCKETS_SECONDS = [0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600] as const;
