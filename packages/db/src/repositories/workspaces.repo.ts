import type { Db } from '../client.ts';
import { TERMINAL_STATUSES } from '@garrison/core';
import type { Workspace, WorkspaceTemplate } from '../generated/prisma/client.ts';

export function createWorkspace(
  db: Db,
  input: { teamId: string; name: string; templateId: string | null; maxConcurrent?: number },
): Promise<Workspace> {
  return db.prisma.workspace.create({ data: { ...input, status: 'creating' } });
}

export function findWorkspaceForTeam(db: Db, teamId: string, workspaceId: string): Promise<Workspace | null> {
  return db.prisma.workspace.findFirst({ where: { id: workspaceId, teamId, destroyedAt: null } });
}

export function findWorkspaceById(db: Db, workspaceId: string): Promise<Workspace | null> {
  return db.prisma.workspace.findUnique({ where: { id: workspaceId } });
}

export function listWorkspacesForTeam(db: Db, teamId: string): Promise<Workspace[]> {
  return db.prisma.workspace.findMany({ where: { teamId, destroyedAt: null }, orderBy: { createdAt: 'asc' } });
}

/** The team's workspaces with the template each was made from (null once it was deleted). */
export function listWorkspacesWithTemplateForTeam(db: Db, teamId: string, workspaceId?: string): Promise<(Workspace & { template: WorkspaceTemplate | null })[]> {
  return db.prisma.workspace.findMany({
    where: { teamId, destroyedAt: null, ...(workspaceId ? { id: workspaceId } : {}) },
    include: { template: true },
    orderBy: { createdAt: 'asc' },
  });
}

/** Missions per workspace of a team: all of them, and those not yet finished. */
export async function countMissionsPerWorkspace(db: Db, teamId: string, workspaceIds: string[]): Promise<Map<string, { total: number; open: number }>> {
  const rows = await db.prisma.mission.groupBy({
    by: ['workspaceId', 'status'],
    where: { teamId, workspaceId: { in: workspaceIds } },
    _count: { _all: true },
  });
  const counts = new Map<string, { total: number; open: number }>();
  for (const row of rows) {
    const entry = counts.get(row.workspaceId) ?? { total: 0, open: 0 };
    entry.total += row._count._all;
    if (!TERMINAL_STATUSES.includes(row.status)) entry.open += row._count._all;
    counts.set(row.workspaceId, entry);
  }
  return counts;
}
