import { DomainError, ErrorCode, type CreateMissionBody, type FileChange } from '@garrison/core';
import { findRepositoryForTeam, type Db, type Mission } from '@garrison/db';
import type { Caller } from '../auth/caller.ts';

/**
 * A mission that names a repository works in its own worktree of it, from `baseBranch` (the
 * repository's default when left out). The repository must be this workspace's and cloned.
 */
export async function resolveMissionRepository(
  db: Db,
  caller: Caller,
  workspaceId: string,
  body: Pick<CreateMissionBody, 'repositoryId' | 'baseBranch'>,
): Promise<{ repositoryId?: string; baseBranch?: string }> {
  if (!body.repositoryId) {
    if (body.baseBranch) throw new DomainError(ErrorCode.InvalidInput, 'baseBranch needs a repositoryId: name the repository the mission works in.', { fields: { baseBranch: 'needs repositoryId' } });
    return {};
  }
  const repository = await findRepositoryForTeam(db, caller.teamId, body.repositoryId);
  if (!repository || repository.workspaceId !== workspaceId) {
    throw new DomainError(ErrorCode.RepositoryNotFound, `No repository ${body.repositoryId} in workspace ${workspaceId}; list them with GET /api/v1/workspaces/${workspaceId}/repositories.`);
  }
  if (repository.status !== 'ready') {
    const next = repository.status === 'cloning' ? 'wait until its clone finished' : `fix it (${repository.error ?? 'clone failed'}) by removing and adding it again`;
    throw new DomainError(ErrorCode.RepositoryNotReady, `Repository "${repository.name}" is ${repository.status}; ${next}, then start the mission.`);
  }
  const baseBranch = body.baseBranch ?? repository.defaultBranch;
  return { repositoryId: repository.id, ...(baseBranch ? { baseBranch } : {}) };
}

/** The review half of a mission's JSON. */
export function presentReview(mission: Mission) {
  return {
    repositoryId: mission.repositoryId,
    branch: mission.branch,
    baseBranch: mission.baseBranch,
    baseCommit: mission.baseCommit,
    worktreePath: mission.worktreePath,
    reviewStatus: mission.reviewStatus,
    pushedAt: mission.pushedAt?.toISOString() ?? null,
    filesChanged: (mission.filesChanged as FileChange[] | null) ?? null,
  };
}
