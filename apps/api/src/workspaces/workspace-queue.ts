import type { WorkspaceOpJob } from '@garrison/core';

/** What the workspace service needs from the queue; BullMQ sits behind it in server.ts. */
export interface WorkspaceQueue {
  enqueueWorkspaceOp(job: WorkspaceOpJob): Promise<void>;
}
