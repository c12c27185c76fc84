import type { AgentKind, MissionEvent, MissionStatus, NetworkPolicy } from '@garrison/core';

/**
 * Response bodies of /api/v1 as the dashboard reads them. They mirror the API's presenters
 * (`presentMission`, `presentWorkspace`); packages/core has no schema for them yet.
 */
export type TeamRole = 'owner' | 'admin' | 'member' | 'viewer';

export interface TeamSummary {
  id: string;
  name: string;
  role: TeamRole;
}

export interface Me {
  user: { id: string; email: string };
  teamId: string;
  role: TeamRole;
  /** GET /auth/me only (login answers without them). */
  teamName?: string | null;
  via?: 'session' | 'token';
  teams?: TeamSummary[];
}

export interface Workspace {
  id: string;
  name: string;
  status: string;
  statusMessage: string | null;
  /** Lifecycle operations the workspace's status allows now (start, stop, pause, ...). */
  allowedOperations?: string[];
  createdAt: string;
  lastActiveAt: string | null;
  /** GET /workspaces and /workspaces/:id only: what it was made from and what it may use. */
  template?: { id: string; name: string; image: string } | null;
  networkPolicy?: NetworkPolicy;
  limits?: { cpus: number; memoryMb: number; pidsLimit: number } | null;
  missions?: { total: number; open: number };
  initCompleted?: boolean;
}

/** GET /api/v1/workspaces/:id/stats: one sample of a running workspace's container. */
export interface WorkspaceStats {
  workspaceId: string;
  /** 100 = one full core. */
  cpuPercent: number;
  memoryBytes: number;
  memoryLimitBytes: number;
  pids: number;
  at: string;
}

/** GET /api/v1/templates. */
export interface WorkspaceTemplate {
  id: string;
  name: string;
  shared: boolean;
  image: string;
  initScript: string | null;
  memoryMb: number;
  cpus: number;
  pidsLimit: number;
  networkPolicy: NetworkPolicy;
  createdAt: string;
}

export interface Mission {
  id: string;
  workspaceId: string;
  agent: AgentKind;
  prompt: string;
  status: MissionStatus;
  statusReason: string | null;
  exitCode: number | null;
  lastSeq: number;
  cancelRequestedBy: string | null;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  /** The agent's session can be continued (POST /missions/:id/resume after an interruption). */
  resumable: boolean;
  /** -10..10; higher starts first among its workspace's queued missions. */
  priority: number;
  /** When event retention deleted its older events (its result and final status are kept). */
  eventsPrunedAt: string | null;
}

export interface EventsPage {
  events: MissionEvent[];
  headSeq: number;
  nextAfterSeq: number;
  /** Holes in seq up to here are events deleted by retention. */
  prunedThroughSeq: number;
}

/** GET /api/v1/agents: what a mission of this team can use now, and why not the others. */
export interface AgentAvailability {
  kind: AgentKind;
  label: string;
  provider: 'anthropic' | 'openai' | null;
  resume: boolean;
  models: string[];
  defaultModel: string | null;
  available: boolean;
  unavailableReasons: string[];
}
