import { countOpenMissions, findWorkspaceById, listLiveWorkspacesOnHost, setWorkspaceStatus, withWorkspaceLock } from '@garrison/db';
import type { WorkspaceOpsDeps } from './workspace-ops.service.ts';

const VANISHED = 'The container vanished; it is recreated on the next start or mission.';
const EXITED = 'The container exited with code';

export interface ReconcileReport {
  orphansRemoved: number;
  markedStopped: number;
  stoppedToMatch: number;
}

/**
 * Compares Postgres with this engine's containers of this installation, Postgres winning:
 * - a container with no workspace row (or a destroyed one) is removed, with its volume;
 * - a workspace Postgres thinks is running or paused whose container vanished or died is marked
 *   `stopped` with what happened (it is recreated on the next start or mission);
 * - a container running for a workspace Postgres says is stopped, with no open mission, is stopped.
 * Missions in a lost container are ended by the worker that follows them (container_lost/oom).
 */
export async function reconcileWorkspaces(deps: WorkspaceOpsDeps, installation: string): Promise<ReconcileReport> {
  const report: ReconcileReport = { orphansRemoved: 0, markedStopped: 0, stoppedToMatch: 0 };
  const containers = await deps.runtime.listWorkspaceContainers(installation);

  for (const container of containers) {
    const workspace = await findWorkspaceById(deps.db, container.workspaceId);
    if (workspace && workspace.status !== 'destroyed') continue;
    await deps.runtime.removeWorkspaceContainer(container.workspaceId);
    await deps.runtime.removeWorkspaceVolume(container.workspaceId);
    await deps.runtime.removeWorkspaceNetwork(container.workspaceId);
    deps.log.warn({ workspaceId: container.workspaceId }, 'orphan workspace container removed');
    report.orphansRemoved += 1;
  }

  for (const workspace of await listLiveWorkspacesOnHost(deps.db, deps.hostId)) {
    await withWorkspaceLock(deps.db, workspace.id, async () => {
      const current = await findWorkspaceById(deps.db, workspace.id);
      if (!current) return;
      // Inspected under the lock, never taken from the list above: an operation that held the
      // lock meanwhile (a rebuild removes and recreates the container) makes that list stale.
      const container = await deps.runtime.inspectWorkspaceContainer(current.id);
      if ((current.status === 'running' || current.status === 'paused') && !container?.running) {
        const statusMessage = !container
          ? VANISHED
          : container.oomKilled
            ? 'The container was killed for running out of memory; start it again or raise its memory limit.'
            : `${EXITED} ${container.exitCode ?? 'unknown'}; start it again.`;
        const event = await setWorkspaceStatus(deps.db, current.id, { status: 'stopped', statusMessage });
        await deps.publishWorkspace(event).catch(() => {});
        deps.log.warn({ workspaceId: current.id, statusMessage }, 'workspace marked stopped by reconciler');
        report.markedStopped += 1;
      } else if (current.status === 'stopped' && !container && current.statusMessage?.startsWith(EXITED)) {
        // `docker rm -f` kills before it removes: a pass in between saw an exited container.
        // Now it is gone, say so (a start recreates it rather than restarting it).
        const event = await setWorkspaceStatus(deps.db, current.id, { status: 'stopped', statusMessage: VANISHED });
        await deps.publishWorkspace(event).catch(() => {});
      } else if (current.status === 'stopped' && container?.running && (await countOpenMissions(deps.db, current.id)) === 0) {
        await deps.runtime.stopWorkspaceContainer(current.id);
        report.stoppedToMatch += 1;
      }
    });
  }
  return report;
}
