import { countOpenMissions } from '@garrison/db';
import { applyWorkspaceOperation, type WorkspaceOpsDeps } from './workspace-ops.service.ts';

/**
 * Stops (or pauses) running workspaces of this host that had no open mission for `idleAfterMs`.
 * Activity is `lastActiveAt`: every status change and every mission end moves it. A stopped
 * workspace keeps its volume and starts again on the next mission or start.
 */
export async function stopIdleWorkspaces(deps: WorkspaceOpsDeps, idleAfterMs: number, action: 'stop' | 'pause'): Promise<number> {
  if (idleAfterMs <= 0) return 0;
  const idleSince = new Date(Date.now() - idleAfterMs);
  const candidates = await deps.db.prisma.workspace.findMany({
    where: { workerHostId: deps.hostId, status: 'running', lastActiveAt: { lt: idleSince } },
  });
  let reaped = 0;
  for (const workspace of candidates) {
    if ((await countOpenMissions(deps.db, workspace.id)) > 0) continue;
    const minutes = Math.round(idleAfterMs / 60_000);
    const message = `${action === 'stop' ? 'Stopped' : 'Paused'} after ${minutes >= 1 ? `${minutes} min` : `${Math.round(idleAfterMs / 1000)} s`} without missions; it starts again with the next mission.`;
    await applyWorkspaceOperation(deps, workspace.id, action, message);
    reaped += 1;
  }
  return reaped;
}
