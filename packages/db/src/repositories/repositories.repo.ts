import type { GitCredential } from '@garrison/core/runner-git';
import type { Db } from '../client.ts';
import type { Mission, Repository } from '../generated/prisma/client.ts';
import type { SecretBox } from '../secret-box.ts';

/** Sealed with team, workspace and name as context: a row copied elsewhere does not open. */
export function repositoryContextOf(repo: Pick<Repository, 'teamId' | 'workspaceId' | 'name'>): string {
  return `repository:${repo.teamId}:${repo.workspaceId}:${repo.name}`;
}

/**
 * Creates the row in `cloning`, or `awaiting_key` for a deploy key the git host does not know yet;
 * the secret (token or private key) is sealed before it is stored.
 */
export async function createRepository(
  db: Db,
  box: SecretBox,
  input: { teamId: string; workspaceId: string; name: string; url: string; authKind: Repository['authKind']; secret: string | null; publicKey: string | null; defaultBranch: string | null },
): Promise<Repository> {
  const sealed = input.secret === null ? null : box.seal(input.secret, repositoryContextOf(input));
  return db.prisma.repository.create({
    data: {
      teamId: input.teamId,
      workspaceId: input.workspaceId,
      name: input.name,
      url: input.url,
      authKind: input.authKind,
      publicKey: input.publicKey,
      defaultBranch: input.defaultBranch,
      status: input.authKind === 'ssh_key' ? 'awaiting_key' : 'cloning',
      ...(sealed ? { ciphertext: sealed.ciphertext, iv: sealed.iv, authTag: sealed.authTag, keyVersion: sealed.keyVersion } : {}),
    },
  });
}

export function listRepositoriesForWorkspace(db: Db, teamId: string, workspaceId: string): Promise<Repository[]> {
  return db.prisma.repository.findMany({ where: { teamId, workspaceId }, orderBy: { name: 'asc' } });
}

export function findRepositoryForTeam(db: Db, teamId: string, repositoryId: string): Promise<Repository | null> {
  return db.prisma.repository.findFirst({ where: { id: repositoryId, teamId } });
}

export function findRepositoryById(db: Db, repositoryId: string): Promise<Repository | null> {
  return db.prisma.repository.findUnique({ where: { id: repositoryId } });
}

export async function deleteRepositoryRow(db: Db, teamId: string, repositoryId: string): Promise<boolean> {
  const { count } = await db.prisma.repository.deleteMany({ where: { id: repositoryId, teamId } });
  return count > 0;
}

/** `awaiting_key` or `failed` -> `cloning`, once: null when it was in another state (or gone). */
export async function claimRepositoryClone(db: Db, teamId: string, repositoryId: string): Promise<Repository | null> {
  const { count } = await db.prisma.repository.updateMany({
    where: { id: repositoryId, teamId, status: { in: ['awaiting_key', 'failed'] } },
    data: { status: 'cloning', error: null },
  });
  return count > 0 ? db.prisma.repository.findFirst({ where: { id: repositoryId, teamId } }) : null;
}

export function setRepositoryState(db: Db, repositoryId: string, state: { status: Repository['status']; error?: string | null; defaultBranch?: string }) {
  return db.prisma.repository.updateMany({
    where: { id: repositoryId },
    data: { status: state.status, error: state.error ?? null, ...(state.defaultBranch ? { defaultBranch: state.defaultBranch } : {}) },
  });
}

/** The credential for one git process (worker only), or undefined for a public repository. */
export function openRepositoryCredential(box: SecretBox, repo: Repository): GitCredential | undefined {
  if (repo.authKind === 'none' || !repo.ciphertext || !repo.iv || !repo.authTag || repo.keyVersion === null) return undefined;
  const secret = box.open({ ciphertext: repo.ciphertext, iv: repo.iv, authTag: repo.authTag, keyVersion: repo.keyVersion }, repositoryContextOf(repo));
  return repo.authKind === 'https_token' ? { kind: 'https_token', token: secret } : { kind: 'ssh_key', privateKey: secret };
}

/** Records the mission's worktree once it exists; a second worker finds it recorded. */
export function recordMissionWorktree(db: Db, missionId: string, worktree: { branch: string; worktreePath: string; baseBranch: string; baseCommit: string }) {
  return db.prisma.mission.update({ where: { id: missionId }, data: worktree });
}

/** After the agent's run: what git says changed, and whether there is anything to review. */
export function recordMissionChanges(db: Db, missionId: string, files: unknown[]) {
  return db.prisma.mission.updateMany({
    where: { id: missionId, reviewStatus: { in: ['none', 'ready_for_review'] } },
    data: { filesChanged: files as object[], ...(files.length > 0 ? { reviewStatus: 'ready_for_review' as const } : {}) },
  });
}

/** Moves a mission out of review; false when it was not in review any more (someone else acted). */
export async function closeReview(db: Db, missionId: string, to: 'merged' | 'discarded'): Promise<boolean> {
  const from = to === 'discarded' ? (['ready_for_review', 'none'] as const) : (['ready_for_review'] as const);
  const { count } = await db.prisma.mission.updateMany({ where: { id: missionId, reviewStatus: { in: [...from] } }, data: { reviewStatus: to } });
  return count > 0;
}

export function markMissionPushed(db: Db, missionId: string): Promise<Mission> {
  return db.prisma.mission.update({ where: { id: missionId }, data: { pushedAt: new Date() } });
}
