import type { Job } from 'bullmq';
import { WorkspaceOpJob } from '@garrison/core';
import { applyWorkspaceOperation, type WorkspaceOpsDeps } from './workspace-ops.service.ts';

/** `workspace-ops` queue: one lifecycle operation per job, applied under the workspace lock. */
export function createWorkspaceOpJob(deps: WorkspaceOpsDeps) {
  return async (job: Job<unknown>): Promise<void> => {
    const { workspaceId, operation, actor } = WorkspaceOpJob.parse(job.data);
    deps.log.info({ workspaceId, operation, actor }, 'workspace operation');
    await applyWorkspaceOperation(deps, workspaceId, operation);
  };
}
