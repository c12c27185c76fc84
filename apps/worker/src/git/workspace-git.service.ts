import type { Logger } from 'pino';
import type { WorkspaceGitJob, WorkspaceGitResult } from '@garrison/core';
import type { RunnerGitAnswer, RunnerGitRequest } from '@garrison/core/runner-git';
import { findMissionById, findRepositoryById, openRepositoryCredential, setRepositoryState, type Db, type SecretBox } from '@garrison/db';
import type { ContainerRuntime } from '../runtime/container-runtime.ts';
import { runRunnerGit } from './runner-git.ts';

export interface WorkspaceGitDeps {
  db: Db;
  runtime: ContainerRuntime;
  /** Opens repository tokens and deploy keys (GARRISON_SECRET_KEY, as the API sealed them). */
  secrets: SecretBox;
  log: Logger;
}

/** Clones and pushes talk to a remote host; local operations take a second. */
const REMOTE_TIMEOUT_MS = 5 * 60_000;
const LOCAL_TIMEOUT_MS = 60_000;

type Failure = Extract<WorkspaceGitResult, { ok: false }>;

/** One git request from the API, run with `runner git` in the workspace's container. */
export async function performGitJob(deps: WorkspaceGitDeps, job: WorkspaceGitJob): Promise<WorkspaceGitResult> {
  if (job.op === 'clone') return cloneRepository(deps, job.repositoryId);
  if (job.op === 'remove') return inContainer(deps, job.workspaceId, { op: 'remove', repo: job.name }, LOCAL_TIMEOUT_MS);

  const mission = await findMissionById(deps.db, job.missionId);
  const repo = mission?.repositoryId ? await findRepositoryById(deps.db, mission.repositoryId) : null;
  if (!mission || !repo || !mission.branch || !mission.worktreePath || !mission.baseCommit || !mission.baseBranch) {
    return { ok: false, code: 'not_found', message: `Mission ${job.missionId} has no branch in a repository (its repository may have been removed).` };
  }
  const where = { repo: repo.name, branch: mission.branch, worktree: mission.worktreePath };
  switch (job.op) {
    case 'diff':
      return inContainer(deps, mission.workspaceId, { op: 'diff', ...where, base: mission.baseCommit, cursor: job.cursor, limit: job.limit, ...(job.paths ? { paths: job.paths } : {}) }, LOCAL_TIMEOUT_MS);
    case 'merge':
      return inContainer(deps, mission.workspaceId, { op: 'merge', ...where, base: mission.baseBranch, mode: job.mode, message: `Merge ${mission.branch} (Garrison mission ${mission.id})` }, LOCAL_TIMEOUT_MS);
    case 'push': {
      const credential = openRepositoryCredential(deps.secrets, repo);
      return inContainer(deps, mission.workspaceId, { op: 'push', ...where, remote: job.remote, ...(credential ? { credential } : {}) }, REMOTE_TIMEOUT_MS);
    }
    case 'discard':
      return inContainer(deps, mission.workspaceId, { op: 'discard', ...where }, LOCAL_TIMEOUT_MS);
  }
}

async function cloneRepository(deps: WorkspaceGitDeps, repositoryId: string): Promise<WorkspaceGitResult> {
  const repo = await findRepositoryById(deps.db, repositoryId);
  if (!repo) return { ok: false, code: 'not_found', message: `Repository ${repositoryId} was removed before it was cloned.` };
  const credential = openRepositoryCredential(deps.secrets, repo);
  const request: RunnerGitRequest = { op: 'clone', name: repo.name, url: repo.url, ...(repo.defaultBranch ? { branch: repo.defaultBranch } : {}), ...(credential ? { credential } : {}) };
  const answer = await inContainer(deps, repo.workspaceId, request, REMOTE_TIMEOUT_MS);
  if (answer.ok) await setRepositoryState(deps.db, repo.id, { status: 'ready', defaultBranch: String(answer.defaultBranch) });
  else await setRepositoryState(deps.db, repo.id, { status: 'failed', error: answer.message.slice(0, 1000) });
  deps.log.info({ repositoryId: repo.id, workspaceId: repo.workspaceId, ok: answer.ok }, 'repository clone');
  return answer;
}

async function inContainer(deps: WorkspaceGitDeps, workspaceId: string, request: RunnerGitRequest, timeoutMs: number): Promise<WorkspaceGitResult> {
  const container = await deps.runtime.inspectWorkspaceContainer(workspaceId);
  if (!container?.running || container.paused) {
    return { ok: false, code: 'invalid_workspace_state', message: `The workspace's container is ${container?.paused ? 'paused' : 'not running'}; start the workspace, then try again.` } satisfies Failure;
  }
  const started = performance.now();
  const answer: RunnerGitAnswer = await runRunnerGit(deps.runtime, container.id, request, timeoutMs);
  deps.log.debug({ workspaceId, op: request.op, ok: answer.ok, ms: Math.round(performance.now() - started) }, 'git operation');
  return answer as WorkspaceGitResult;
}
