import { DomainError, ErrorCode, type CreateWorkspaceBody } from '@garrison/core';
import { createWorkspace, findWorkspaceForTeam, listWorkspacesForTeam, recordAudit, type Db, type Workspace } from '@garrison/db';
import type { Caller } from '../auth/caller.ts';

export function presentWorkspace(workspace: Workspace) {
  return {
    id: workspace.id,
    name: workspace.name,
    status: workspace.status,
    statusMessage: workspace.statusMessage,
    createdAt: workspace.createdAt.toISOString(),
    lastActiveAt: workspace.lastActiveAt?.toISOString() ?? null,
  };
}

export async function createTeamWorkspace(db: Db, caller: Caller, body: CreateWorkspaceBody, requestId: string) {
  try {
    const workspace = await createWorkspace(db, caller.teamId, body.name);
    await recordAudit(db, { teamId: caller.teamId, actorId: caller.userId, action: 'workspace.create', targetType: 'workspace', targetId: workspace.id, outcome: 'ok', requestId });
    return presentWorkspace(workspace);
  } catch (error) {
    if ((error as { code?: string }).code === 'P2002') {
      throw new DomainError(ErrorCode.Conflict, `A workspace named "${body.name}" already exists in this team; pick another name.`);
    }
    throw error;
  }
}

export async function getTeamWorkspace(db: Db, caller: Caller, workspaceId: string) {
  const workspace = await findWorkspaceForTeam(db, caller.teamId, workspaceId);
  if (!workspace) throw new DomainError(ErrorCode.WorkspaceNotFound, `No workspace ${workspaceId} in your team.`);
  return presentWorkspace(workspace);
}

export async function listTeamWorkspaces(db: Db, caller: Caller) {
  return (await listWorkspacesForTeam(db, caller.teamId)).map(presentWorkspace);
}
