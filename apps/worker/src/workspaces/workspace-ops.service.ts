import type { Logger } from 'pino';
import {
  STATUS_AFTER,
  canApplyWorkspaceOperation,
  type WorkspaceOperation,
  type WorkspaceStatusEvent,
} from '@garrison/core';
import { findWorkspaceById, setWorkspaceStatus, withWorkspaceLock, type Db, type Workspace } from '@garrison/db';
import type { ContainerRuntime, WorkspaceContainerSpec } from '../runtime/container-runtime.ts';

export interface WorkspaceOpsDeps {
  db: Db;
  runtime: ContainerRuntime;
  log: Logger;
  hostId: string;
  workspaceLimits: Omit<WorkspaceContainerSpec, 'workspaceId' | 'teamId'>;
  publishWorkspace(event: WorkspaceStatusEvent): Promise<void>;
}

/**
 * Applies one lifecycle operation under the workspace's lock. The state machine is checked again
 * here (the API checked when queueing, but another operation may have run since); a refused or
 * failed operation leaves the workspace as it was, or in `error` with the engine's message.
 */
export async function applyWorkspaceOperation(deps: WorkspaceOpsDeps, workspaceId: string, operation: WorkspaceOperation): Promise<void> {
  await withWorkspaceLock(deps.db, workspaceId, async () => {
    const workspace = await findWorkspaceById(deps.db, workspaceId);
    if (!workspace || !canApplyWorkspaceOperation(operation, workspace.status)) {
      deps.log.info({ workspaceId, operation, status: workspace?.status }, 'workspace operation no longer applies');
      return;
    }
    try {
      const containerId = await runOperation(deps, workspace, operation);
      await publish(deps, workspaceId, { status: STATUS_AFTER[operation], operation, containerId, workerHostId: deps.hostId });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      deps.log.error({ err: error, workspaceId, operation }, 'workspace operation failed');
      await publish(deps, workspaceId, { status: 'error', statusMessage: `${operation} failed: ${message.slice(0, 500)}`, operation });
    }
  });
}

/** Does the engine work; returns the container id where one now exists (null once removed). */
async function runOperation(deps: WorkspaceOpsDeps, workspace: Workspace, operation: WorkspaceOperation): Promise<string | null | undefined> {
  const spec = { ...deps.workspaceLimits, workspaceId: workspace.id, teamId: workspace.teamId };
  switch (operation) {
    case 'provision':
    case 'start':
    case 'resume':
      return (await deps.runtime.ensureWorkspaceContainer(spec)).id;
    case 'rebuild':
      // A new container from the current image on the same volume: files survive, processes do not.
      await deps.runtime.removeWorkspaceContainer(workspace.id);
      return (await deps.runtime.ensureWorkspaceContainer(spec)).id;
    case 'stop':
      await deps.runtime.stopWorkspaceContainer(workspace.id);
      return undefined;
    case 'pause':
      await deps.runtime.pauseWorkspaceContainer(workspace.id);
      return undefined;
    case 'destroy':
      await deps.runtime.removeWorkspaceContainer(workspace.id);
      await deps.runtime.removeWorkspaceVolume(workspace.id);
      return null;
  }
}

async function publish(deps: WorkspaceOpsDeps, workspaceId: string, change: Parameters<typeof setWorkspaceStatus>[2]): Promise<void> {
  const event = await setWorkspaceStatus(deps.db, workspaceId, change);
  await deps.publishWorkspace(event).catch((error: unknown) => deps.log.warn({ err: error }, 'workspace event not published'));
}
