import {
  DomainError,
  ErrorCode,
  FILE_VIEW_MAX_BYTES,
  QueueName,
  WorkspaceFileResult,
  hostQueueName,
  operationsAllowedFrom,
  type FileErrorCode,
  type WorkspaceFileJob,
} from '@garrison/core';
import { findWorkspaceForTeam, recordAudit, type Db, type Workspace } from '@garrison/db';
import type { Caller } from '../auth/caller.ts';
import { RpcTimeout, type WorkspaceRpc } from '../workspaces/workspace-rpc.ts';
import type { BlobStore } from './blob-store.ts';
import { presentFileContent } from './file-content.ts';
import { assertInsideWorkspace } from './path-guard.ts';

export interface FileLimits {
  uploadMaxBytes: number;
  downloadMaxBytes: number;
  /** How long a worker may take to answer; large transfers take the longest. */
  timeoutMs: number;
  /** How long to wait for a worker of the workspace's host to take the request at all. */
  claimTimeoutMs: number;
}

export interface WorkspaceFilesDeps {
  db: Db;
  rpc: WorkspaceRpc;
  blobs: BlobStore;
  fileLimits: FileLimits;
}

const CODE_OF: Record<FileErrorCode, ErrorCode> = {
  path_outside_workspace: ErrorCode.PathOutsideWorkspace,
  file_not_found: ErrorCode.FileNotFound,
  is_a_directory: ErrorCode.IsADirectory,
  not_a_directory: ErrorCode.NotADirectory,
  not_a_file: ErrorCode.NotAFile,
  file_too_large: ErrorCode.FileTooLarge,
  permission_denied: ErrorCode.Forbidden,
  invalid_workspace_state: ErrorCode.InvalidWorkspaceState,
  invalid_input: ErrorCode.InvalidInput,
  internal_error: ErrorCode.Internal,
};

export async function listWorkspaceFiles(deps: WorkspaceFilesDeps, caller: Caller, workspaceId: string, path: string) {
  assertInsideWorkspace(path);
  const workspace = await findRunningWorkspace(deps.db, caller, workspaceId, 'browse its files');
  const answer = await askWorker(deps, workspace, { op: 'list', workspaceId: workspace.id, path });
  if (answer.op !== 'list') throw unexpected();
  const { uploadMaxBytes, downloadMaxBytes } = deps.fileLimits;
  return { ...answer.listing, limits: { uploadMaxBytes, downloadMaxBytes, viewMaxBytes: FILE_VIEW_MAX_BYTES } };
}

/** The first MB of a file, as text when it is UTF-8 and base64 otherwise. */
export async function viewWorkspaceFile(deps: WorkspaceFilesDeps, caller: Caller, workspaceId: string, path: string) {
  assertInsideWorkspace(path);
  const workspace = await findRunningWorkspace(deps.db, caller, workspaceId, 'view its files');
  const answer = await askWorker(deps, workspace, { op: 'read', workspaceId: workspace.id, path, maxBytes: FILE_VIEW_MAX_BYTES, whole: false });
  if (answer.op !== 'read') throw unexpected();
  const bytes = await takeBytes(deps, answer.blobKey);
  return { path: answer.path, size: answer.size, truncated: answer.truncated, ...presentFileContent(bytes, answer.truncated) };
}

export async function downloadWorkspaceFile(deps: WorkspaceFilesDeps, caller: Caller, workspaceId: string, path: string) {
  assertInsideWorkspace(path);
  const workspace = await findRunningWorkspace(deps.db, caller, workspaceId, 'download its files');
  const answer = await askWorker(deps, workspace, { op: 'read', workspaceId: workspace.id, path, maxBytes: deps.fileLimits.downloadMaxBytes, whole: true });
  if (answer.op !== 'read') throw unexpected();
  return { path: answer.path, size: answer.size, bytes: await takeBytes(deps, answer.blobKey) };
}

/** Writes the whole body to `path` (parents created), recorded in the audit log either way. */
export async function uploadWorkspaceFile(deps: WorkspaceFilesDeps, caller: Caller, workspaceId: string, path: string, body: Buffer, requestId: string) {
  const workspace = await findRunningWorkspace(deps.db, caller, workspaceId, 'upload files');
  const audit = (outcome: 'ok' | 'denied' | 'failed', storedPath = path, code: string | null = null) =>
    recordAudit(deps.db, {
      teamId: caller.teamId,
      actorId: caller.userId,
      action: 'file.upload',
      targetType: 'workspace',
      targetId: workspace.id,
      outcome,
      requestId,
      metadata: { path: storedPath.slice(0, 1024), size: body.length, code },
    });
  try {
    assertInsideWorkspace(path);
    const blobKey = body.length > 0 ? await deps.blobs.put(body) : 'empty';
    const answer = await askWorker(deps, workspace, { op: 'write', workspaceId: workspace.id, path, blobKey, size: body.length });
    if (answer.op !== 'write') throw unexpected();
    await audit('ok', answer.path);
    return { path: answer.path, size: answer.size };
  } catch (error) {
    // A path the runner refuses (outside the workspace) is denied; anything else failed.
    const code = error instanceof DomainError ? error.code : 'internal_error';
    await audit(code === ErrorCode.PathOutsideWorkspace ? 'denied' : 'failed', path, code).catch(() => {});
    throw error;
  }
}

async function findRunningWorkspace(db: Db, caller: Caller, workspaceId: string, purpose: string): Promise<Workspace> {
  const workspace = await findWorkspaceForTeam(db, caller.teamId, workspaceId);
  if (!workspace) throw new DomainError(ErrorCode.WorkspaceNotFound, `No workspace ${workspaceId} in your team.`);
  if (workspace.status !== 'running') {
    const next = workspace.status === 'paused' ? 'resume it' : workspace.status === 'creating' ? 'wait until it is running' : 'start it';
    throw new DomainError(ErrorCode.InvalidWorkspaceState, `Workspace "${workspace.name}" is ${workspace.status}; ${next} to ${purpose}.`, {
      status: workspace.status,
      allowedOperations: operationsAllowedFrom(workspace.status),
    });
  }
  return workspace;
}

type Answer = Extract<WorkspaceFileResult, { ok: true }>;

async function askWorker(deps: WorkspaceFilesDeps, workspace: Workspace, job: WorkspaceFileJob): Promise<Answer> {
  let raw: unknown;
  try {
    raw = await deps.rpc.call(hostQueueName(QueueName.WorkspaceFiles, workspace.workerHostId), job, {
      claimTimeoutMs: deps.fileLimits.claimTimeoutMs,
      timeoutMs: deps.fileLimits.timeoutMs,
    });
  } catch (error) {
    if (!(error instanceof RpcTimeout)) throw error;
    throw new DomainError(
      ErrorCode.ServiceUnavailable,
      error.state === 'unclaimed'
        ? `No worker answered for the host running workspace "${workspace.name}"${workspace.workerHostId ? ` (${workspace.workerHostId})` : ''}; check that its worker is running, then try again.`
        : 'The worker did not finish in time (large files take longest); an upload may still land, so refresh the listing before trying again.',
    );
  }
  const answer = WorkspaceFileResult.parse(raw);
  if (!answer.ok) throw new DomainError(CODE_OF[answer.code], answer.message);
  return answer;
}

async function takeBytes(deps: WorkspaceFilesDeps, blobKey: string | null): Promise<Buffer> {
  if (blobKey === null) return Buffer.alloc(0);
  const bytes = await deps.blobs.take(blobKey);
  if (!bytes) throw new DomainError(ErrorCode.ServiceUnavailable, 'The file arrived and expired before it could be sent; try again.');
  return bytes;
}

function unexpected(): DomainError {
  return new DomainError(ErrorCode.Internal, 'The worker answered a different file operation than was asked.');
}
