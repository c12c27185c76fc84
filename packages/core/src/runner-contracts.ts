import { z } from 'zod';
import { AgentKind } from './agents.ts';

/** What the worker hands the runner inside the container (on stdin of `runner launch`). */
export const RunnerSpec = z.object({
  missionId: z.string().min(1),
  agent: AgentKind,
  prompt: z.string(),
  /** First seq the runner writes; everything before it already lives in Postgres. */
  startSeq: z.number().int().positive(),
});
export type RunnerSpec = z.infer<typeof RunnerSpec>;

/** Paths inside the workspace container; the runner state lives on the volume to survive restarts. */
export const WORKSPACE_DIR = '/workspace';
export const RUNNER_STATE_DIR = '/workspace/.garrison/missions';
export const RUNNER_BUNDLE = '/opt/garrison/runner.cjs';

export function missionStateDir(missionId: string): string {
  return `${RUNNER_STATE_DIR}/${missionId}`;
}

/** Container labels: the reconciler finds our containers by them, never by name alone. */
export const Label = {
  Managed: 'dev.garrison.managed',
  WorkspaceId: 'dev.garrison.workspace-id',
  TeamId: 'dev.garrison.team-id',
} as const;

export function workspaceContainerName(workspaceId: string): string {
  return `garrison-ws-${workspaceId}`;
}

export function workspaceVolumeName(workspaceId: string): string {
  return `garrison-ws-${workspaceId}`;
}
