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

/** Redis pub/sub channels shared by worker (publisher) and api (subscriber). */
export const Channel = {
  /** Persisted mission events, published only after their batch committed. */
  MissionEvents: 'garrison:mission-events',
  /** Cancel requests; every worker hears them and the one following the mission acts. */
  MissionControl: 'garrison:mission-control',
  /** Worker heartbeat with its Docker status, read by /health. */
  WorkerHeartbeat: 'garrison:worker-heartbeat',
} as const;

export const WorkerHeartbeat = z.object({
  hostId: z.string(),
  docker: z.enum(['ok', 'down']),
  dockerVersion: z.string().nullable(),
  at: z.string(),
});
export type WorkerHeartbeat = z.infer<typeof WorkerHeartbeat>;
