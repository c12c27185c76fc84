import { DomainError, ErrorCode, QueueName, WorkspaceGitResult, hostQueueName, type GitErrorCode, type WorkspaceGitJob } from '@garrison/core';
import type { Db, Workspace } from '@garrison/db';
import { RpcTimeout, type WorkspaceRpc } from '../workspaces/workspace-rpc.ts';

export interface GitRpcDeps {
  db: Db;
  rpc: WorkspaceRpc;
  /** How long to wait for a worker of the workspace's host to take the request at all. */
  fileLimits: { claimTimeoutMs: number };
}

/** A clone or a push to a slow host may take minutes; a diff or merge a second. */
export const GIT_OP_TIMEOUT_MS = 5 * 60_000;

const CODE_OF: Record<GitErrorCode, ErrorCode> = {
  git_failed: ErrorCode.GitFailed,
  merge_conflict: ErrorCode.MergeConflict,
  not_fast_forward: ErrorCode.Conflict,
  not_found: ErrorCode.NotFound,
  invalid_input: ErrorCode.InvalidInput,
  nothing_to_merge: ErrorCode.Conflict,
  invalid_workspace_state: ErrorCode.InvalidWorkspaceState,
};

export type GitAnswer = Record<string, unknown> & { ok: true };

/** Asks the worker of the workspace's host to run one git operation; a failure becomes a DomainError. */
export async function askGit(deps: GitRpcDeps, workspace: Workspace, job: WorkspaceGitJob): Promise<GitAnswer> {
  let raw: unknown;
  try {
    raw = await deps.rpc.call(hostQueueName(QueueName.WorkspaceGit, workspace.workerHostId), job, {
      claimTimeoutMs: deps.fileLimits.claimTimeoutMs,
      timeoutMs: GIT_OP_TIMEOUT_MS,
    });
  } catch (error) {
    if (!(error instanceof RpcTimeout)) throw error;
    throw new DomainError(
      ErrorCode.ServiceUnavailable,
      error.state === 'unclaimed'
        ? `No worker answered for the host running workspace "${workspace.name}"; check that its worker is running, then try again.`
        : 'git did not finish in time; check the repository in the workspace terminal before trying again.',
    );
  }
  const answer = WorkspaceGitResult.parse(raw);
  if (!answer.ok) {
    const failure = answer as { code: GitErrorCode; message: string; files?: string[] };
    throw new DomainError(CODE_OF[failure.code], failure.message, failure.files ? { files: failure.files } : undefined);
  }
  return answer as GitAnswer;
}
