import { z } from 'zod';
import type { MissionEvent } from './events.ts';
import { MissionStatus } from './mission-status.ts';
import { WorkspaceStatus } from './workspace-lifecycle.ts';

/**
 * What each worker measures of its host on every heartbeat, stored in WorkerHost.resources.
 * Parts the worker could not read are null rather than made up.
 */
export const HostResources = z.object({
  cpu: z.object({
    cores: z.number().int().min(0),
    /** The 1-minute load average. */
    load1: z.number().min(0),
    /** Busy share of all cores since the previous heartbeat; null on the first one. */
    busyPercent: z.number().min(0).max(100).nullable(),
  }),
  memory: z.object({ totalBytes: z.number().min(0), availableBytes: z.number().min(0) }),
  /** The filesystem holding Docker's data root (or the worker's directory when that is unknown). */
  disk: z.object({ path: z.string(), totalBytes: z.number().min(0), freeBytes: z.number().min(0) }).nullable(),
  /** From the engine; null while it does not answer. */
  containers: z
    .object({
      running: z.number().int().min(0),
      total: z.number().int().min(0),
      /** Running workspace containers of this installation. */
      workspacesRunning: z.number().int().min(0),
    })
    .nullable(),
  collectedAt: z.string(),
});
export type HostResources = z.infer<typeof HostResources>;

/** A host is stale once its last heartbeat is older than this many heartbeat intervals. */
export const HOST_STALE_INTERVALS = 3;
export const HEARTBEAT_INTERVAL_MS = 5000;

export const TERMINAL_OUTCOMES = ['completed', 'failed', 'canceled', 'blocked', 'interrupted'] as const;
export type TerminalOutcome = (typeof TERMINAL_OUTCOMES)[number];

/** To `team:<id>` whenever one of the team's missions is created or changes status. */
export const TeamMissionEvent = z.object({
  missionId: z.string(),
  workspaceId: z.string(),
  status: MissionStatus,
  updatedAt: z.string(),
});
export type TeamMissionEvent = z.infer<typeof TeamMissionEvent>;

/** To `team:<id>` whenever one of the team's workspaces changes status. */
export const TeamWorkspaceEvent = z.object({ workspaceId: z.string(), status: WorkspaceStatus, updatedAt: z.string() });
export type TeamWorkspaceEvent = z.infer<typeof TeamWorkspaceEvent>;

/**
 * A batch of persisted mission events on the Redis channel. `teamId` and `workspaceId` let the API
 * tell the team room about status changes without a query per event; old publishers omit them.
 */
export interface MissionBroadcast {
  missionId: string;
  teamId?: string;
  workspaceId?: string;
  events: MissionEvent[];
}

/** GET /api/v1/overview, for the caller's team. */
export interface OverviewMission {
  id: string;
  status: MissionStatus;
  agent: string;
  workspaceId: string;
  workspaceName: string;
  /** The prompt's first non-empty line, at most 200 characters. */
  title: string;
  /** When it entered its current status (its last update). */
  since: string;
}

export interface OverviewResult {
  id: string;
  status: MissionStatus;
  statusReason: string | null;
  agent: string;
  workspaceName: string;
  title: string;
  endedAt: string | null;
  durationS: number | null;
  costUsd: number;
}

export interface OverviewDay {
  /** UTC day, YYYY-MM-DD. */
  day: string;
  started: number;
  outcomes: Record<TerminalOutcome, number>;
  /** Of missions that ended that day; null without any. */
  durationMedianS: number | null;
  durationP90S: number | null;
  costUsd: number;
}

export interface OverviewHost {
  id: string;
  hostname: string;
  dockerVersion: string | null;
  capacity: number;
  lastSeenAt: string;
  stale: boolean;
  resources: HostResources | null;
}

export interface Overview {
  attention: OverviewMission[];
  queue: { queued: number; provisioning: number; jobsWaiting: number | null; jobsActive: number | null };
  workspaces: { total: number; byStatus: Partial<Record<WorkspaceStatus, number>>; recent: { id: string; name: string; status: WorkspaceStatus; lastActiveAt: string | null }[] };
  recent: OverviewResult[];
  daily: OverviewDay[];
  hosts: OverviewHost[];
  generatedAt: string;
}
