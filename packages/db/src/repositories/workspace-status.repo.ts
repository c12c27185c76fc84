import type { WorkspaceOperation, WorkspaceStatusEvent } from '@garrison/core';
import type { Db } from '../client.ts';
import type { WorkspaceStatus } from '../generated/prisma/client.ts';

/** Stores a workspace's status and returns the event to broadcast for it. */
export async function setWorkspaceStatus(
  db: Db,
  workspaceId: string,
  change: { status: WorkspaceStatus; statusMessage?: string | null; operation?: WorkspaceOperation | null; containerId?: string | null; workerHostId?: string },
): Promise<WorkspaceStatusEvent> {
  const workspace = await db.prisma.workspace.update({
    where: { id: workspaceId },
    data: {
      status: change.status,
      statusMessage: change.statusMessage ?? null,
      lastActiveAt: new Date(),
      ...(change.containerId !== undefined ? { containerId: change.containerId } : {}),
      ...(change.workerHostId ? { workerHostId: change.workerHostId } : {}),
      ...(change.status === 'destroyed' ? { destroyedAt: new Date() } : {}),
    },
  });
  return {
    workspaceId,
    teamId: workspace.teamId,
    status: workspace.status,
    statusMessage: workspace.statusMessage,
    operation: change.operation ?? null,
    at: workspace.updatedAt.toISOString(),
  };
}

/**
 * Runs `work` holding a Postgres advisory lock on the workspace, so lifecycle operations and
 * mission provisioning on one workspace never interleave (a stop racing a start), across workers.
 */
export async function withWorkspaceLock<T>(db: Db, workspaceId: string, work: () => Promise<T>): Promise<T> {
  const client = await db.pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [`workspace:${workspaceId}`]);
    try {
      return await work();
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [`workspace:${workspaceId}`]);
    }
  } finally {
    client.release();
  }
}

export function countOpenMissions(db: Db, workspaceId: string): Promise<number> {
  return db.prisma.mission.count({
    where: { workspaceId, status: { in: ['queued', 'provisioning', 'running', 'waiting_input', 'waiting_approval'] } },
  });
}

/** Workspaces this host should have a container for, for the reconciler. */
export function listLiveWorkspacesOnHost(db: Db, hostId: string) {
  return db.prisma.workspace.findMany({ where: { workerHostId: hostId, status: { in: ['running', 'paused', 'stopped'] } } });
}
