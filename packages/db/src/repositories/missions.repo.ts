import type { MissionEvent } from '@garrison/core';
import type { Db } from '../client.ts';
import type { Mission } from '../generated/prisma/client.ts';

export interface NewMission {
  teamId: string;
  workspaceId: string;
  authorId: string | null;
  agent: string;
  prompt: string;
  model?: string | null;
  /** Frozen at dispatch: `{mode}` (ask, auto, read-only). */
  policy?: { mode: string };
  limits?: Record<string, number>;
  /** -10..10; higher starts first among its workspace's queued missions. */
  priority?: number;
  /** The ended mission this one retries. */
  retryOfId?: string | null;
  /** The repository it works in (its own worktree) and the branch that worktree starts from. */
  repositoryId?: string | null;
  baseBranch?: string | null;
}

/** Stores the mission `queued` together with its first event, so seq 1 exists (until event retention prunes it). */
export async function createQueuedMission(db: Db, input: NewMission): Promise<{ mission: Mission; event: MissionEvent }> {
  const ts = new Date();
  const payload = { status: 'queued', previous: null, reason: null };
  const mission = await db.prisma.mission.create({
    data: {
      ...input,
      lastSeq: 1,
      events: { create: { seq: 1, ts, type: 'mission.status', payload } },
    },
  });
  return { mission, event: { missionId: mission.id, seq: 1, ts: ts.toISOString(), type: 'mission.status', payload } };
}

export function findMissionForTeam(db: Db, teamId: string, missionId: string): Promise<Mission | null> {
  return db.prisma.mission.findFirst({ where: { id: missionId, teamId } });
}

/** Missions started as retries of this one, oldest first. */
export function listMissionRetries(db: Db, teamId: string, missionId: string): Promise<Array<Pick<Mission, 'id' | 'status' | 'createdAt'>>> {
  return db.prisma.mission.findMany({ where: { teamId, retryOfId: missionId }, orderBy: { createdAt: 'asc' }, select: { id: true, status: true, createdAt: true } });
}

export function findMissionById(db: Db, missionId: string): Promise<Mission | null> {
  return db.prisma.mission.findUnique({ where: { id: missionId } });
}

export function listMissionsForTeam(db: Db, teamId: string, options: { workspaceId?: string; limit: number }): Promise<Mission[]> {
  return db.prisma.mission.findMany({
    where: { teamId, ...(options.workspaceId ? { workspaceId: options.workspaceId } : {}) },
    orderBy: { createdAt: 'desc' },
    take: options.limit,
  });
}

/**
 * Missions a worker should pick up after a restart: every queued one, and the open ones in
 * workspaces pinned to this host (or to none). Another host's running missions are its own.
 */
export function listUnfinishedMissions(db: Db, hostId: string): Promise<Mission[]> {
  return db.prisma.mission.findMany({
    where: {
      OR: [
        { status: 'queued' },
        {
          status: { in: ['provisioning', 'running', 'waiting_input', 'waiting_approval'] },
          workspace: { OR: [{ workerHostId: hostId }, { workerHostId: null }] },
        },
      ],
    },
    orderBy: { createdAt: 'asc' },
  });
}

export async function startMissionAttempt(db: Db, missionId: string, workerHostId: string | null): Promise<void> {
  const count = await db.prisma.missionAttempt.count({ where: { missionId } });
  await db.prisma.missionAttempt.create({ data: { missionId, number: count + 1, workerHostId } });
}

export async function endMissionAttempt(db: Db, missionId: string, exitCode: number | null, reason: string): Promise<void> {
  await db.prisma.missionAttempt.updateMany({
    where: { missionId, endedAt: null },
    data: { endedAt: new Date(), exitCode, reason },
  });
}
