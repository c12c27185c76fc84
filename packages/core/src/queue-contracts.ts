import { z } from 'zod';
import { MAX_MISSION_PRIORITY, MIN_MISSION_PRIORITY } from './api-contracts.ts';
import { RebuildImageJob } from './image-contracts.ts';

/** Queue names and job payloads. Payloads carry ids only: Postgres holds the truth. */
export const QueueName = {
  Missions: 'missions',
  MissionControl: 'mission-control',
  WorkspaceOps: 'workspace-ops',
  Maintenance: 'maintenance',
  /** Request/response: file browser operations inside a workspace container (per host, see hostQueueName). */
  WorkspaceFiles: 'workspace-files',
  /** Request/response: attach a web terminal to a workspace (per host, see hostQueueName). */
  TerminalSessions: 'terminal-sessions',
  /** Request/response: one resource usage sample of a workspace container (per host, see hostQueueName). */
  WorkspaceStats: 'workspace-stats',
  /** Request/response: git in a workspace (clone, diff, merge, push, discard; review-contracts.ts). */
  WorkspaceGit: 'workspace-git',
} as const;

export const MissionJob = z.object({ missionId: z.string().min(1) });

/**
 * A mission job is retried with backoff (the handler is idempotent) and its id is the mission's,
 * so a second add of the same mission is a no-op while the first is known to BullMQ.
 */
export function missionJobOptions(missionId: string, attempt = 1, priority = 0) {
  return {
    // A follow-up's new attempt must not be swallowed by the first attempt's job, if BullMQ still keeps it.
    jobId: attempt > 1 ? `${missionId}-a${attempt}` : missionId,
    priority: bullmqPriority(priority),
    attempts: 5,
    backoff: { type: 'exponential' as const, delay: 1000 },
    removeOnComplete: true,
    removeOnFail: 1000,
  };
}
export type MissionJob = z.infer<typeof MissionJob>;

/**
 * BullMQ runs lower numbers first (1 is the highest) and takes jobs without a priority before any
 * prioritized one, so every mission job gets one: ours 10..-10 becomes 1..21, 0 becomes 11.
 */
export function bullmqPriority(priority: number): number {
  const clamped = Math.min(MAX_MISSION_PRIORITY, Math.max(MIN_MISSION_PRIORITY, Math.trunc(priority)));
  return MAX_MISSION_PRIORITY + 1 - clamped;
}

/** Deletes the events of missions that ended more than EVENT_RETENTION_DAYS ago (the worker's setting). */
export const PruneEventsJob = z.object({ task: z.literal('prune-events') });

/** The `maintenance` queue: on-demand image rebuilds and the repeatable event retention. */
export const MaintenanceJob = z.discriminatedUnion('task', [RebuildImageJob, PruneEventsJob]);
export type MaintenanceJob = z.infer<typeof MaintenanceJob>;

/**
 * A control message waits for its runner while the mission starts (a workspace may take minutes
 * to provision), retried each second for up to ten minutes.
 */
/**
 * The gateway's stop for a mission over its budget. Queued before the agent is told 429, so the
 * worker can tell, when the agent then exits on its own, that the budget is why.
 */
export function budgetStopJobId(missionId: string): string {
  return `budget-${missionId}`;
}

export function controlJobOptions() {
  return { attempts: 600, backoff: { type: 'fixed' as const, delay: 1000 }, removeOnComplete: true, removeOnFail: 1000 };
}

/** Control messages from the API to whichever worker follows a mission. */
export const MissionControlMessage = z.discriminatedUnion('action', [
  /** Stop the agent. `reason` replaces `canceled_by:<actor>` (the gateway's `budget_exceeded`). */
  z.object({ missionId: z.string().min(1), action: z.literal('cancel'), actor: z.string().min(1), reason: z.enum(['budget_exceeded']).optional() }),
  /** A follow-up or an answer, delivered to the runner's inbox; `messageId` makes delivery idempotent. */
  z.object({
    missionId: z.string().min(1),
    action: z.literal('message'),
    actor: z.string().min(1),
    messageId: z.string().min(1),
    text: z.string(),
    /** Set when the text answers the agent's question (ask_human) rather than following up. */
    inputId: z.string().optional(),
  }),
  z.object({
    missionId: z.string().min(1),
    action: z.literal('approval'),
    actor: z.string().min(1),
    approvalId: z.string().min(1),
    decision: z.enum(['allow', 'deny']),
    message: z.string().optional(),
  }),
]);
export type MissionControlMessage = z.infer<typeof MissionControlMessage>;

/**
 * Redis names are all under one prefix (REDIS_PREFIX, default `garrison`): queues, channels and
 * keys. Two installations, or two test stacks, can share one Redis without seeing each other.
 */
export const Channel = {
  /** Persisted mission events, published only after their batch committed. */
  MissionEvents: 'mission-events',
  /** Workspace status changes, published by the worker after they are stored. */
  WorkspaceEvents: 'workspace-events',
  /** Workspace image build progress, from whichever worker builds. */
  ImageEvents: 'image-events',
} as const;

export function redisName(prefix: string, name: string): string {
  return `${prefix}:${name}`;
}

/** Hash of worker heartbeats (field: host id); readers ignore beats older than HEARTBEAT_FRESH_MS. */
export function workerHeartbeatsKey(prefix: string): string {
  return redisName(prefix, 'worker-heartbeats');
}

export const HEARTBEAT_FRESH_MS = 15_000;

export const WorkerHeartbeat = z.object({
  hostId: z.string(),
  docker: z.enum(['ok', 'down']),
  dockerVersion: z.string().nullable(),
  /**
   * Agent CLIs found in the default workspace image (probed at worker start and after each image
   * build); null or absent until the probe ran. GET /api/v1/agents reads it: the API has no Docker.
   */
  agentCommands: z.array(z.string()).nullable().optional(),
  at: z.string(),
});
export type WorkerHeartbeat = z.infer<typeof WorkerHeartbeat>;
