import type { Db } from '../client.ts';
import type { Workspace, WorkspaceStatus } from '../generated/prisma/client.ts';

export function createWorkspace(db: Db, teamId: string, name: string): Promise<Workspace> {
  return db.prisma.workspace.create({ data: { teamId, name, status: 'ready' } });
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

export async function recordWorkspaceContainer(
  db: Db,
  workspaceId: string,
  fields: { status: WorkspaceStatus; containerId?: string | null; volumeName?: string; statusMessage?: string | null; workerHostId?: string },
): Promise<void> {
  await db.prisma.workspace.update({ where: { id: workspaceId }, data: { ...fields, lastActiveAt: new Date() } });
}
