import type { AgentKind, MissionEvent, MissionStatus } from '@garrison/core';

/**
 * Response bodies of /api/v1 as the dashboard reads them. They mirror the API's presenters
 * (`presentMission`, `presentWorkspace`); packages/core has no schema for them yet.
 */
export interface Me {
  user: { id: string; email: string };
  teamId: string;
  role: 'owner' | 'admin' | 'member' | 'viewer';
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
