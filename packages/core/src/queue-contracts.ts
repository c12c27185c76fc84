import { z } from 'zod';

/** Queue names and job payloads. Payloads carry ids only: Postgres holds the truth. */
export const QueueName = {
  Missions: 'missions',
  MissionControl: 'mission-control',
} as const;

export const MissionJob = z.object({ missionId: z.string().min(1) });
export type MissionJob = z.infer<typeof MissionJob>;

/** Control messages from the API to whichever worker follows a mission. */
export const MissionControlMessage = z.object({
  missionId: z.string().min(1),
  action: z.literal('cancel'),
  actor: z.string().min(1),
});
export type MissionControlMessage = z.infer<typeof MissionControlMessage>;

/**
 * Redis names are all under one prefix (REDIS_PREFIX, default `garrison`): queues, channels and
 * keys. Two installations, or two test stacks, can share one Redis without seeing each other.
 */
export const Channel = {
  /** Persisted mission events, published only after their batch committed. */
  MissionEvents: 'mission-events',
} as const;

export function redisName(prefix: string, name: string): string {
  return `${prefix}:${name}`;
}

/** Key of a worker's heartbeat; it expires when the worker stops reporting. */
export function workerHeartbeatKey(prefix: string, hostId: string): string {
  return redisName(prefix, `worker:${hostId}`);
}

export const WorkerHeartbeat = z.object({
  hostId: z.string(),
  docker: z.enum(['ok', 'down']),
  dockerVersion: z.string().nullable(),
  at: z.string(),
});
export type WorkerHeartbeat = z.infer<typeof WorkerHeartbeat>;
