import type { Job } from 'bullmq';
import { WorkspaceFileJob, type WorkspaceFileResult } from '@garrison/core';
import { performFileJob, type WorkspaceFilesDeps } from './workspace-files.service.ts';

/** `workspace-files` queue (request/response): the API waits for the answer this returns. */
export function createWorkspaceFilesJob(deps: WorkspaceFilesDeps) {
  return async (job: Job<unknown>): Promise<WorkspaceFileResult> => {
    const request = WorkspaceFileJob.parse(job.data);
    const started = performance.now();
    const result = await performFileJob(deps, request);
    deps.log.debug({ workspaceId: request.workspaceId, op: request.op, ok: result.ok, ms: Math.round(performance.now() - started) }, 'file operation');
    return result;
  };
}
