import { missionBranch, missionShortId } from '@garrison/core/runner-git';
import {
  createSecretBox,
  findMissionById,
  findRepositoryById,
  openRepositoryCredential,
  recordMissionChanges,
  recordMissionWorktree,
  type Mission,
} from '@garrison/db';
import { runRunnerGit } from '../git/runner-git.ts';
import type { MissionRunnerDeps } from './mission-runner.service.ts';

const GIT_TIMEOUT_MS = 2 * 60_000;

/**
 * Before the agent starts: a mission in a repository gets its own worktree on garrison/<short>
 * from its base branch, recorded on the mission. Safe to repeat (a worker that died after git
 * made it and before it was recorded): the runner reuses the worktree it finds.
 * Returns null when ready, or the reason the mission cannot start.
 */
export async function prepareMissionWorktree(deps: MissionRunnerDeps, mission: Mission, containerId: string): Promise<string | null> {
  if (!mission.repositoryId || mission.worktreePath) return null;
  const repo = await findRepositoryById(deps.db, mission.repositoryId);
  if (!repo || repo.status !== 'ready') return 'repository_unavailable: the repository was removed or is not cloned';
  const base = mission.baseBranch ?? repo.defaultBranch;
  if (!base) return 'repository_unavailable: the repository has no default branch';
  const credential = openRepositoryCredential(createSecretBox({ key: deps.agents.secretKey, previousKey: deps.agents.secretKeyPrevious }), repo);
  const branch = missionBranch(mission.id);
  const answer = await runRunnerGit(
    deps.runtime,
    containerId,
    { op: 'worktree', repo: repo.name, missionShort: missionShortId(mission.id), branch, base, ...(credential ? { credential } : {}) },
    GIT_TIMEOUT_MS,
  );
  if (!answer.ok) return `worktree_failed: ${answer.message.slice(0, 300)}`;
  if (answer.op !== 'worktree') return 'worktree_failed: unexpected answer';
  await recordMissionWorktree(deps.db, mission.id, { branch, worktreePath: answer.path, baseBranch: base, baseCommit: answer.baseCommit });
  deps.log.info({ missionId: mission.id, branch }, 'mission worktree ready');
  return null;
}

/**
 * When a mission in a repository ends: what the agent left uncommitted is committed on its branch
 * ("garrison: <mission id>"), and git's list of changed files is recorded; any change puts the
 * mission up for review. Runs before the terminal status, so whoever sees the end sees the review
 * state too. A container that is gone leaves the branch as the agent left it.
 */
export async function settleMissionBranch(deps: MissionRunnerDeps, missionId: string): Promise<void> {
  const mission = await findMissionById(deps.db, missionId);
  if (!mission?.repositoryId || !mission.worktreePath || !mission.baseCommit) return;
  const repo = await findRepositoryById(deps.db, mission.repositoryId);
  const container = await deps.runtime.inspectWorkspaceContainer(mission.workspaceId);
  if (!repo || !container?.running || container.paused) return;
  const answer = await runRunnerGit(
    deps.runtime,
    container.id,
    { op: 'settle', repo: repo.name, worktree: mission.worktreePath, base: mission.baseCommit, message: `garrison: ${mission.id}` },
    GIT_TIMEOUT_MS,
  );
  if (!answer.ok || answer.op !== 'settle') {
    deps.log.warn({ missionId, message: answer.ok ? 'unexpected answer' : answer.message }, 'settling the mission branch failed');
    return;
  }
  await recordMissionChanges(deps.db, missionId, answer.files);
}
