import {
  DISRUPTIVE_OPERATIONS,
  DomainError,
  ErrorCode,
  canApplyWorkspaceOperation,
  operationsAllowedFrom,
  type CreateWorkspaceBody,
  type WorkspaceOperation,
} from '@garrison/core';
import {
  countMissionsPerWorkspace,
  countOpenMissions,
  createWorkspace,
  findDefaultTemplate,
  findTemplateForTeam,
  findWorkspaceForTeam,
  listWorkspacesWithTemplateForTeam,
  recordAudit,
  setWorkspaceStatus,
  type Db,
  type Workspace,
} from '@garrison/db';
import type { Caller } from '../auth/caller.ts';
import type { WorkspaceQueue } from './workspace-queue.ts';

export interface WorkspaceServiceDeps {
  db: Db;
  workspaceQueue: WorkspaceQueue;
}

export function presentWorkspace(workspace: Workspace) {
  return {
    id: workspace.id,
    name: workspace.name,
    status: workspace.status,
    statusMessage: workspace.statusMessage,
    templateId: workspace.templateId,
    maxConcurrent: workspace.maxConcurrent,
    initCompleted: workspace.initCompletedAt !== null,
    allowedOperations: operationsAllowedFrom(workspace.status),
    createdAt: workspace.createdAt.toISOString(),
    lastActiveAt: workspace.lastActiveAt?.toISOString() ?? null,
  };
}

/** Stores the workspace `creating` and queues its provisioning: the container starts right away. */
export async function createTeamWorkspace(deps: WorkspaceServiceDeps, caller: Caller, body: CreateWorkspaceBody, requestId: string) {
  const template = body.templateId ? await findTemplateForTeam(deps.db, caller.teamId, body.templateId) : await findDefaultTemplate(deps.db);
  if (body.templateId && !template) {
    throw new DomainError(ErrorCode.TemplateNotFound, `No template ${body.templateId} in your team; list them with GET /api/v1/templates.`);
  }
  let workspace: Workspace;
  try {
    workspace = await createWorkspace(deps.db, { teamId: caller.teamId, name: body.name, templateId: template?.id ?? null, maxConcurrent: body.maxConcurrent });
  } catch (error) {
    if ((error as { code?: string }).code === 'P2002') {
      throw new DomainError(ErrorCode.Conflict, `A workspace named "${body.name}" already exists in this team; pick another name.`);
    }
    throw error;
  }
  await enqueueOrFail(deps, workspace, 'provision', caller);
  await recordAudit(deps.db, { teamId: caller.teamId, actorId: caller.userId, action: 'workspace.create', targetType: 'workspace', targetId: workspace.id, outcome: 'ok', requestId });
  return presentWorkspace(workspace);
}

/**
 * Queues a lifecycle operation after checking it against the workspace's status, and refusing
 * operations that would kill or freeze an agent while missions are open in the workspace.
 */
export async function requestWorkspaceOperation(
  deps: WorkspaceServiceDeps,
  caller: Caller,
  workspaceId: string,
  operation: Exclude<WorkspaceOperation, 'provision'>,
  requestId: string,
) {
  const workspace = await findTeamWorkspace(deps.db, caller, workspaceId);
  if (!canApplyWorkspaceOperation(operation, workspace.status)) {
    const allowed = operationsAllowedFrom(workspace.status);
    throw new DomainError(
      ErrorCode.InvalidWorkspaceState,
      `Workspace "${workspace.name}" is ${workspace.status}; it can't ${operation} now${allowed.length ? ` (possible: ${allowed.join(', ')})` : ''}.`,
      { status: workspace.status, allowedOperations: allowed },
    );
  }
  if (DISRUPTIVE_OPERATIONS.includes(operation)) {
    const open = await countOpenMissions(deps.db, workspace.id);
    if (open > 0) {
      throw new DomainError(
        ErrorCode.WorkspaceBusy,
        `Workspace "${workspace.name}" has ${open} open mission${open === 1 ? '' : 's'}; cancel ${open === 1 ? 'it' : 'them'} before you ${operation} it.`,
        { openMissions: open },
      );
    }
  }
  await enqueueOrFail(deps, workspace, operation, caller);
  await recordAudit(deps.db, { teamId: caller.teamId, actorId: caller.userId, action: `workspace.${operation}`, targetType: 'workspace', targetId: workspace.id, outcome: 'ok', requestId });
  return { ...presentWorkspace(workspace), operation };
}

export async function destroyTeamWorkspace(deps: WorkspaceServiceDeps, caller: Caller, workspaceId: string, confirmName: string, requestId: string) {
  const workspace = await findTeamWorkspace(deps.db, caller, workspaceId);
  if (confirmName !== workspace.name) {
    throw new DomainError(
      ErrorCode.ConfirmationMismatch,
      `Destroying removes the workspace's container and all its files; repeat its exact name "${workspace.name}" as confirmName to confirm.`,
    );
  }
  return requestWorkspaceOperation(deps, caller, workspaceId, 'destroy', requestId);
}

/** The template's init script output, kept whether it succeeded or not. */
export async function getWorkspaceInitLog(db: Db, caller: Caller, workspaceId: string) {
  const workspace = await findTeamWorkspace(db, caller, workspaceId);
  return {
    workspaceId: workspace.id,
    completed: workspace.initCompletedAt !== null,
    completedAt: workspace.initCompletedAt?.toISOString() ?? null,
    log: workspace.initLog,
  };
}

export async function getTeamWorkspace(db: Db, caller: Caller, workspaceId: string) {
  const [workspace] = await describeTeamWorkspaces(db, caller, workspaceId);
  if (!workspace) throw new DomainError(ErrorCode.WorkspaceNotFound, `No workspace ${workspaceId} in your team.`);
  return workspace;
}

export async function listTeamWorkspaces(db: Db, caller: Caller) {
  return describeTeamWorkspaces(db, caller);
}

/**
 * Workspaces with what the list shows beside their status: the template's image, network policy
 * and limits (the default template's when theirs was deleted, as the worker does) and mission counts.
 */
async function describeTeamWorkspaces(db: Db, caller: Caller, workspaceId?: string) {
  const workspaces = await listWorkspacesWithTemplateForTeam(db, caller.teamId, workspaceId);
  if (workspaces.length === 0) return [];
  const fallback = workspaces.some((workspace) => !workspace.template) ? await findDefaultTemplate(db) : null;
  const missions = await countMissionsPerWorkspace(db, caller.teamId, workspaces.map((workspace) => workspace.id));
  return workspaces.map((workspace) => {
    const template = workspace.template ?? fallback;
    return {
      ...presentWorkspace(workspace),
      template: template ? { id: template.id, name: template.name, image: template.image } : null,
      networkPolicy: template?.networkPolicy ?? 'none',
      limits: template ? { cpus: template.cpus, memoryMb: template.memoryMb, pidsLimit: template.pidsLimit } : null,
      missions: missions.get(workspace.id) ?? { total: 0, open: 0 },
    };
  });
}

async function findTeamWorkspace(db: Db, caller: Caller, workspaceId: string): Promise<Workspace> {
  const workspace = await findWorkspaceForTeam(db, caller.teamId, workspaceId);
  if (!workspace) throw new DomainError(ErrorCode.WorkspaceNotFound, `No workspace ${workspaceId} in your team.`);
  return workspace;
}

/** Without a job the workspace would wait forever: say so and record it. */
async function enqueueOrFail(deps: WorkspaceServiceDeps, workspace: Workspace, operation: WorkspaceOperation, caller: Caller): Promise<void> {
  try {
    await deps.workspaceQueue.enqueueWorkspaceOp({ workspaceId: workspace.id, operation, actor: caller.email });
  } catch {
    if (operation === 'provision') {
      await setWorkspaceStatus(deps.db, workspace.id, { status: 'error', statusMessage: 'The job queue was unreachable; start the workspace to try again.' });
    }
    throw new DomainError(ErrorCode.ServiceUnavailable, `The job queue is unreachable; the workspace was not ${operation === 'provision' ? 'provisioned' : `asked to ${operation}`}. Try again shortly.`);
  }
}
