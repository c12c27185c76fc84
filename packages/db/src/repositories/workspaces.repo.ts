import type { Db } from '../client.ts';
import type { Workspace } from '../generated/prisma/client.ts';

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
