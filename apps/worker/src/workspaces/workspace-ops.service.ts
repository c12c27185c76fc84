import type { Logger } from 'pino';
import { STATUS_AFTER, canApplyWorkspaceOperation, type WorkspaceOperation } from '@garrison/core';
import { findWorkspaceById, setWorkspaceStatus, withWorkspaceLock, type Workspace } from '@garrison/db';
import { InitScriptFailed, ensureWorkspaceReady, type WorkspaceReadyDeps } from './workspace-ready.ts';

export interface WorkspaceOpsDeps extends WorkspaceReadyDeps {
  log: Logger;
  hostId: string;
}

/**
 * Applies one lifecycle operation under the workspace's lock. The state machine is checked again
 * here (the API checked when queueing, but another operation may have run since); a refused or
 * failed operation leaves the workspace as it was, or in `error` with the engine's message.
 */
export async function applyWorkspaceOperation(
  deps: WorkspaceOpsDeps,
  workspaceId: string,
  operation: WorkspaceOperation,
  /** Said with the new status, e.g. why the idle reaper stopped it. */
  statusMessage: string | null = null,
): Promise<void> {
  await withWorkspaceLock(deps.db, workspaceId, async () => {
    const workspace = await findWorkspaceById(deps.db, workspaceId);
    if (!workspace || !canApplyWorkspaceOperation(operation, workspace.status)) {
      deps.log.info({ workspaceId, operation, status: workspace?.status }, 'workspace operation no longer applies');
      return;
    }
    try {
      const containerId = await runOperation(deps, workspace, operation);
      await publish(deps, workspaceId, { status: STATUS_AFTER[operation], statusMessage, operation, containerId, workerHostId: deps.hostId });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      deps.log.error({ err: error, workspaceId, operation }, 'workspace operation failed');
      const statusMessage = error instanceof InitScriptFailed ? message : `${operation} failed: ${message.slice(0, 500)}`;
      await publish(deps, workspaceId, { status: 'error', statusMessage, operation });
    }
  });
}

/** Does the engine work; returns the container id where one now exists (null once removed). */
async function runOperation(deps: WorkspaceOpsDeps, workspace: Workspace, operation: WorkspaceOperation): Promise<string | null | undefined> {
  switch (operation) {
    case 'provision':
    case 'start':
    case 'resume':
      return (await ensureWorkspaceReady(deps, workspace)).container.id;
    case 'rebuild':
      // A new container from the template's image on the same volume: files survive, processes do not.
      await deps.runtime.removeWorkspaceContainer(workspace.id);
      return (await ensureWorkspaceReady(deps, workspace)).container.id;
    case 'stop':
      await deps.runtime.stopWorkspaceContainer(workspace.id);
      return undefined;
    case 'pause':
      await deps.runtime.pauseWorkspaceContainer(workspace.id);
      return undefined;
    case 'destroy':
      await deps.runtime.removeWorkspaceContainer(workspace.id);
      await deps.runtime.removeWorkspaceVolume(workspace.id);
      await deps.runtime.removeWorkspaceNetwork(workspace.id);
      return null;
  }
}

async function publish(deps: WorkspaceOpsDeps, workspaceId: string, change: Parameters<typeof setWorkspaceStatus>[2]): Promise<void> {
  const event = await setWorkspaceStatus(deps.db, workspaceId, change);
  await deps.publishWorkspace(event).catch((error: unknown) => deps.log.warn({ err: error }, 'workspace event not published'));
}
