import { z } from 'zod';

export const WorkspaceStatus = z.enum(['creating', 'ready', 'running', 'paused', 'stopped', 'error', 'destroyed']);
export type WorkspaceStatus = z.infer<typeof WorkspaceStatus>;

export const WorkspaceOperation = z.enum(['provision', 'start', 'stop', 'pause', 'resume', 'rebuild', 'destroy']);
export type WorkspaceOperation = z.infer<typeof WorkspaceOperation>;

/**
 * Which operation may start from which status. `ready` is a workspace whose container has not
 * been created yet (it is created on first start or first mission); `error` may always be
 * retried by start or rebuild. The API checks this before queueing and the worker again before
 * acting, so a stale request changes nothing.
 */
const ALLOWED_FROM: Record<WorkspaceOperation, readonly WorkspaceStatus[]> = {
  provision: ['creating'],
  start: ['ready', 'stopped', 'error'],
  stop: ['running', 'paused'],
  pause: ['running'],
  resume: ['paused'],
  rebuild: ['ready', 'running', 'paused', 'stopped', 'error'],
  destroy: ['creating', 'ready', 'running', 'paused', 'stopped', 'error'],
};

/** Where a successful operation leaves the workspace. */
export const STATUS_AFTER: Record<WorkspaceOperation, WorkspaceStatus> = {
  provision: 'running',
  start: 'running',
  stop: 'stopped',
  pause: 'paused',
  resume: 'running',
  rebuild: 'running',
  destroy: 'destroyed',
};

export function canApplyWorkspaceOperation(operation: WorkspaceOperation, status: WorkspaceStatus): boolean {
  return ALLOWED_FROM[operation].includes(status);
}

export function operationsAllowedFrom(status: WorkspaceStatus): WorkspaceOperation[] {
  return WorkspaceOperation.options.filter((operation) => operation !== 'provision' && canApplyWorkspaceOperation(operation, status));
}

/** Operations that would kill or freeze a running agent: refused while missions are open. */
export const DISRUPTIVE_OPERATIONS: readonly WorkspaceOperation[] = ['stop', 'pause', 'rebuild', 'destroy'];

export const WorkspaceOpJob = z.object({
  workspaceId: z.string().min(1),
  operation: WorkspaceOperation,
  actor: z.string().min(1),
});
export type WorkspaceOpJob = z.infer<typeof WorkspaceOpJob>;

/** Broadcast on every status change, to the `workspace:<id>` socket room. */
export const WorkspaceStatusEvent = z.object({
  workspaceId: z.string(),
  teamId: z.string(),
  status: WorkspaceStatus,
  statusMessage: z.string().nullable(),
  operation: WorkspaceOperation.nullable(),
  at: z.string(),
});
export type WorkspaceStatusEvent = z.infer<typeof WorkspaceStatusEvent>;

/** Output of a workspace's init script as it runs, to the `workspace:<id>` room. */
export const WorkspaceInitOutputEvent = z.object({
  kind: z.literal('init-output'),
  workspaceId: z.string(),
  teamId: z.string(),
  text: z.string(),
});
export type WorkspaceInitOutputEvent = z.infer<typeof WorkspaceInitOutputEvent>;

export const DestroyWorkspaceBody = z.object({
  confirmName: z.string().min(1, 'must repeat the workspace name to confirm'),
});

export function workspaceRoom(workspaceId: string): string {
  return `workspace:${workspaceId}`;
}
