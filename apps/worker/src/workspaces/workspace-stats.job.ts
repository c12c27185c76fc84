import type { Job } from 'bullmq';
import { WorkspaceStatsJob, type WorkspaceStatsResult } from '@garrison/core';
import type { ContainerRuntime } from '../runtime/container-runtime.ts';

/** `workspace-stats` queue (request/response): one usage sample of a workspace's container. */
export function createWorkspaceStatsJob(deps: { runtime: ContainerRuntime }) {
  return async (job: Job<unknown>): Promise<WorkspaceStatsResult> => {
    const { workspaceId } = WorkspaceStatsJob.parse(job.data);
    const stats = await deps.runtime.sampleWorkspaceStats(workspaceId);
    if (!stats) {
      return { ok: false, code: 'invalid_workspace_state', message: "The workspace's container is not running; start or resume the workspace to see its usage." };
    }
    return { ok: true, stats };
  };
}
