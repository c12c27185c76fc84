import { DomainError, ErrorCode, QueueName, WorkspaceStatsResult, hostQueueName, operationsAllowedFrom } from '@garrison/core';
import { findWorkspaceForTeam, type Db, type Workspace } from '@garrison/db';
import type { Caller } from '../auth/caller.ts';
import { RpcTimeout, type WorkspaceRpc } from './workspace-rpc.ts';

export interface WorkspaceStatsDeps {
  db: Db;
  rpc: WorkspaceRpc;
  /** How long to wait for a worker of the workspace's host to take the request at all. */
  fileLimits: { claimTimeoutMs: number };
}

/** The engine samples CPU twice about a second apart; anything much slower is a stuck worker. */
const SAMPLE_TIMEOUT_MS = 10_000;

/** One resource usage sample of a running workspace, from the worker of the host that runs it. */
export async function sampleTeamWorkspaceStats(deps: WorkspaceStatsDeps, caller: Caller, workspaceId: string) {
  const workspace = await findWorkspaceForTeam(deps.db, caller.teamId, workspaceId);
  if (!workspace) throw new DomainError(ErrorCode.WorkspaceNotFound, `No workspace ${workspaceId} in your team.`);
  if (workspace.status !== 'running') throw notRunning(workspace);
  let raw: unknown;
  try {
    raw = await deps.rpc.call(hostQueueName(QueueName.WorkspaceStats, workspace.workerHostId), { workspaceId: workspace.id }, {
      claimTimeoutMs: deps.fileLimits.claimTimeoutMs,
      timeoutMs: deps.fileLimits.claimTimeoutMs + SAMPLE_TIMEOUT_MS,
    });
  } catch (error) {
    if (!(error instanceof RpcTimeout)) throw error;
    throw new DomainError(
      ErrorCode.ServiceUnavailable,
      `No worker answered for the host running workspace "${workspace.name}"${workspace.workerHostId ? ` (${workspace.workerHostId})` : ''}; check that its worker is running, then try again.`,
    );
  }
  const answer = WorkspaceStatsResult.parse(raw);
  // The row said running but the engine has no running container: the reconciler will catch up.
  if (!answer.ok) throw new DomainError(ErrorCode.InvalidWorkspaceState, answer.message, { status: workspace.status });
  return { workspaceId: workspace.id, ...answer.stats };
}

function notRunning(workspace: Workspace): DomainError {
  const next = workspace.status === 'paused' ? 'resume it' : workspace.status === 'creating' ? 'wait until it is running' : 'start it';
  return new DomainError(ErrorCode.InvalidWorkspaceState, `Workspace "${workspace.name}" is ${workspace.status}; ${next} to see its resource usage.`, {
    status: workspace.status,
    allowedOperations: operationsAllowedFrom(workspace.status),
  });
}
