import type { Job } from 'bullmq';
import { WorkspaceGitJob, type WorkspaceGitResult } from '@garrison/core';
import { performGitJob, type WorkspaceGitDeps } from './workspace-git.service.ts';

/** `workspace-git` queue (request/response): the API waits for the answer this returns. */
export function createWorkspaceGitJob(deps: WorkspaceGitDeps) {
  return async (job: Job<unknown>): Promise<WorkspaceGitResult> => performGitJob(deps, WorkspaceGitJob.parse(job.data));
}
