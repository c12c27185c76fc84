import { DomainError, ErrorCode, REPOS_DIR, TERMINAL_STATUSES, type CreateRepositoryBody } from '@garrison/core';
import {
  claimRepositoryClone,
  createRepository,
  deleteRepositoryRow,
  findRepositoryForTeam,
  findWorkspaceForTeam,
  listRepositoriesForWorkspace,
  setRepositoryState,
  type Repository,
  type SecretBox,
  type Workspace,
} from '@garrison/db';
import { audit } from '../audit/audit.ts';
import type { Caller } from '../auth/caller.ts';
import { generateDeployKey } from './deploy-key.ts';
import { askGit, type GitRpcDeps } from './git-rpc.ts';

export interface RepositoryDeps extends GitRpcDeps {
  secrets: SecretBox;
}

export function presentRepository(repo: Repository) {
  return {
    id: repo.id,
    workspaceId: repo.workspaceId,
    name: repo.name,
    url: repo.url,
    authKind: repo.authKind,
    publicKey: repo.publicKey,
    defaultBranch: repo.defaultBranch,
    status: repo.status,
    error: repo.error,
    path: `${REPOS_DIR}/${repo.name}`,
    createdAt: repo.createdAt.toISOString(),
  };
}

async function teamWorkspace(deps: RepositoryDeps, caller: Caller, workspaceId: string): Promise<Workspace> {
  const workspace = await findWorkspaceForTeam(deps.db, caller.teamId, workspaceId);
  if (!workspace) throw new DomainError(ErrorCode.WorkspaceNotFound, `No workspace ${workspaceId} in your team.`);
  return workspace;
}

/**
 * Records the repository and asks the workspace's worker to clone it; the answer comes back on
 * the repository (`ready` or `failed` with git's words), not on this request. A deploy key
 * (`ssh_key`) is new to the git host, so that repository waits in `awaiting_key` until someone
 * installed the public key and asks for the clone (`cloneRepository`).
 */
export async function addRepository(deps: RepositoryDeps, caller: Caller, workspaceId: string, body: CreateRepositoryBody, requestId: string) {
  const workspace = await teamWorkspace(deps, caller, workspaceId);
  if (workspace.status !== 'running') {
    throw new DomainError(ErrorCode.InvalidWorkspaceState, `Workspace "${workspace.name}" is ${workspace.status}; start it, then add the repository (it is cloned into the running workspace).`);
  }
  const existing = await deps.db.prisma.repository.findFirst({ where: { workspaceId: workspace.id, name: body.name } });
  if (existing) throw new DomainError(ErrorCode.RepositoryExists, `Workspace "${workspace.name}" already has a repository named "${body.name}"; choose another name or remove that one.`);
  const key = body.auth.kind === 'ssh_key' ? generateDeployKey(`garrison-${workspace.name}-${body.name}`.slice(0, 100)) : null;
  const repo = await createRepository(deps.db, deps.secrets, {
    teamId: caller.teamId,
    workspaceId: workspace.id,
    name: body.name,
    url: body.url,
    authKind: body.auth.kind,
    secret: body.auth.kind === 'https_token' ? body.auth.token : (key?.privateKey ?? null),
    publicKey: key?.publicKey ?? null,
    defaultBranch: body.defaultBranch ?? null,
  });
  await audit(deps.db, caller, { action: 'repository.create', target: ['repository', repo.id], requestId, metadata: { workspaceId: workspace.id, name: repo.name, authKind: repo.authKind } });
  if (repo.status === 'cloning') startClone(deps, workspace, repo);
  return { repository: presentRepository(repo) };
}

/** Not awaited: the request answers 202 while git works; the worker records the result. */
function startClone(deps: RepositoryDeps, workspace: Workspace, repo: Repository): void {
  void askGit(deps, workspace, { op: 'clone', repositoryId: repo.id }).catch(async (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    await setRepositoryState(deps.db, repo.id, { status: 'failed', error: message.slice(0, 1000) }).catch(() => {});
  });
}

/**
 * Starts the clone of a repository waiting for its deploy key, or retries a failed one, with the
 * same credential (the deploy key stays the one already installed at the host).
 */
export async function cloneRepository(deps: RepositoryDeps, caller: Caller, workspaceId: string, repositoryId: string, requestId: string) {
  const workspace = await teamWorkspace(deps, caller, workspaceId);
  const found = await findRepositoryForTeam(deps.db, caller.teamId, repositoryId);
  if (!found || found.workspaceId !== workspace.id) throw new DomainError(ErrorCode.RepositoryNotFound, `No repository ${repositoryId} in workspace "${workspace.name}".`);
  const metadata = { workspaceId: workspace.id, name: found.name, authKind: found.authKind, from: found.status };
  try {
    if (workspace.status !== 'running') {
      throw new DomainError(ErrorCode.InvalidWorkspaceState, `Workspace "${workspace.name}" is ${workspace.status}; start it, then clone "${found.name}" (it is cloned into the running workspace).`);
    }
    const repo = await claimRepositoryClone(deps.db, caller.teamId, found.id);
    if (!repo) {
      const now = (await findRepositoryForTeam(deps.db, caller.teamId, found.id))?.status ?? 'removed';
      throw new DomainError(
        ErrorCode.Conflict,
        now === 'ready' ? `"${found.name}" is already cloned.` : `"${found.name}" is ${now}; only a repository awaiting its deploy key or a failed clone can be cloned (again).`,
      );
    }
    startClone(deps, workspace, repo);
    await audit(deps.db, caller, { action: 'repository.clone', target: ['repository', repo.id], requestId, metadata });
    return { repository: presentRepository(repo) };
  } catch (error) {
    const code = error instanceof DomainError ? error.code : 'internal_error';
    await audit(deps.db, caller, { action: 'repository.clone', target: ['repository', found.id], outcome: 'failed', requestId, metadata: { ...metadata, code } }).catch(() => {});
    throw error;
  }
}

export async function listRepositories(deps: RepositoryDeps, caller: Caller, workspaceId: string) {
  const workspace = await teamWorkspace(deps, caller, workspaceId);
  return { repositories: (await listRepositoriesForWorkspace(deps.db, caller.teamId, workspace.id)).map(presentRepository) };
}

/** Removes the row and, when the workspace runs, the checkout; refused while a mission works in it. */
export async function removeRepository(deps: RepositoryDeps, caller: Caller, workspaceId: string, repositoryId: string, requestId: string) {
  const workspace = await teamWorkspace(deps, caller, workspaceId);
  const repo = await findRepositoryForTeam(deps.db, caller.teamId, repositoryId);
  if (!repo || repo.workspaceId !== workspace.id) throw new DomainError(ErrorCode.RepositoryNotFound, `No repository ${repositoryId} in workspace "${workspace.name}".`);
  const busy = await deps.db.prisma.mission.count({ where: { repositoryId: repo.id, status: { notIn: [...TERMINAL_STATUSES] } } });
  if (busy > 0) throw new DomainError(ErrorCode.Conflict, `${busy} mission(s) still work in "${repo.name}"; wait for them to end or cancel them, then remove it.`);
  if (workspace.status === 'running') await askGit(deps, workspace, { op: 'remove', repositoryId: repo.id, workspaceId: workspace.id, name: repo.name });
  await deleteRepositoryRow(deps.db, caller.teamId, repo.id);
  await audit(deps.db, caller, { action: 'repository.delete', target: ['repository', repo.id], requestId, metadata: { workspaceId: workspace.id, name: repo.name, checkoutRemoved: workspace.status === 'running' } });
  return { deleted: true };
}
