import {
  DomainError,
  ErrorCode,
  formatReviewMessage,
  isTerminalStatus,
  type DiffFile,
  type MergeReviewBody,
  type MissionDiffQuery,
  type PushReviewBody,
  type ReviewMessageBody,
} from '@garrison/core';
import { closeReview, findWorkspaceForTeam, markMissionPushed, type Mission, type Workspace } from '@garrison/db';
import { audit } from '../audit/audit.ts';
import type { Caller } from '../auth/caller.ts';
import { getTeamMission } from '../missions/mission.service.ts';
import { askGit, type GitRpcDeps } from './git-rpc.ts';

/** The mission's branch in its repository, and the running workspace whose worker reaches it. */
async function missionInRepository(deps: GitRpcDeps, caller: Caller, missionId: string, purpose: string): Promise<{ mission: Mission; workspace: Workspace }> {
  const mission = await getTeamMission(deps.db, caller, missionId);
  if (!mission.repositoryId || !mission.branch) {
    throw new DomainError(ErrorCode.NotInReview, `Mission ${missionId} did not work in a repository branch${mission.repositoryId ? ' (it has not started yet)' : ''}, so there is nothing to ${purpose}.`);
  }
  const workspace = await findWorkspaceForTeam(deps.db, caller.teamId, mission.workspaceId);
  if (!workspace) throw new DomainError(ErrorCode.WorkspaceNotFound, `The workspace of mission ${missionId} is gone.`);
  if (workspace.status !== 'running') {
    throw new DomainError(ErrorCode.InvalidWorkspaceState, `Workspace "${workspace.name}" is ${workspace.status}; start it to ${purpose} (the branch lives in its volume).`);
  }
  return { mission, workspace };
}

export async function getMissionDiff(deps: GitRpcDeps, caller: Caller, missionId: string, query: MissionDiffQuery) {
  const { mission, workspace } = await missionInRepository(deps, caller, missionId, 'diff');
  const answer = await askGit(deps, workspace, {
    op: 'diff',
    missionId: mission.id,
    cursor: query.cursor,
    limit: query.limit,
    ...(query.path ? { paths: [query.path] } : {}),
  });
  const next = answer.nextCursor as number | null;
  return { files: answer.files as DiffFile[], total: answer.total as number, nextCursor: next === null ? null : String(next) };
}

/** Review comments as the agent reads them: each with file:line and the line quoted from the diff. */
export async function reviewMessageText(deps: GitRpcDeps, caller: Caller, missionId: string, body: ReviewMessageBody): Promise<string> {
  const { mission, workspace } = await missionInRepository(deps, caller, missionId, 'review');
  const paths = [...new Set(body.comments.map((comment) => comment.path))];
  const answer = await askGit(deps, workspace, { op: 'diff', missionId: mission.id, paths, cursor: 0, limit: 100 });
  const files = answer.files as DiffFile[];
  const quoted = body.comments.map((comment) => {
    const file = files.find((candidate) => candidate.path === comment.path || candidate.oldPath === comment.path);
    if (!file) throw new DomainError(ErrorCode.InvalidInput, `"${comment.path}" is not among the files mission ${missionId} changed; comment on a file of its diff.`);
    const lines = file.hunks.flatMap((hunk) => hunk.lines);
    const line = lines.find((candidate) => (comment.side === 'old' ? candidate.oldLine : candidate.newLine) === comment.line);
    return { ...comment, quoted: line?.text ?? null };
  });
  return formatReviewMessage(mission.branch, quoted, body.message);
}

function assertReviewable(mission: Mission, action: string, allowed: readonly Mission['reviewStatus'][]): void {
  if (!isTerminalStatus(mission.status)) {
    throw new DomainError(ErrorCode.MissionNotFinished, `Mission ${mission.id} is still ${mission.status}; wait for it to end (or cancel it) before you ${action}.`);
  }
  if (!allowed.includes(mission.reviewStatus)) {
    throw new DomainError(ErrorCode.NotInReview, `Mission ${mission.id} is ${mission.reviewStatus === 'none' ? 'not ready for review (it changed nothing)' : mission.reviewStatus}; there is nothing to ${action}.`);
  }
}

/** Runs an outcome and audits it with its result, success or not. */
async function audited<T>(deps: GitRpcDeps, caller: Caller, mission: Mission, action: string, requestId: string, metadata: Record<string, string>, run: () => Promise<T & Record<string, unknown>>): Promise<T> {
  try {
    const result = await run();
    await audit(deps.db, caller, { action, target: ['mission', mission.id], requestId, metadata: { ...metadata, branch: mission.branch, ...(typeof result.commit === 'string' ? { commit: result.commit } : {}) } });
    return result;
  } catch (error) {
    const code = error instanceof DomainError ? error.code : 'internal_error';
    await audit(deps.db, caller, { action, target: ['mission', mission.id], outcome: 'failed', requestId, metadata: { ...metadata, branch: mission.branch, code } }).catch(() => {});
    throw error;
  }
}

export async function mergeMissionBranch(deps: GitRpcDeps, caller: Caller, missionId: string, body: MergeReviewBody, requestId: string) {
  const { mission, workspace } = await missionInRepository(deps, caller, missionId, 'merge');
  assertReviewable(mission, 'merge', ['ready_for_review']);
  return audited(deps, caller, mission, 'mission.review.merge', requestId, { mode: body.mode }, async () => {
    const answer = await askGit(deps, workspace, { op: 'merge', missionId: mission.id, mode: body.mode });
    if (!(await closeReview(deps.db, mission.id, 'merged'))) throw new DomainError(ErrorCode.Conflict, `Mission ${missionId} left review meanwhile; reload it.`);
    return { reviewStatus: 'merged' as const, commit: answer.commit as string, fastForward: answer.fastForward as boolean };
  });
}

export async function pushMissionBranch(deps: GitRpcDeps, caller: Caller, missionId: string, body: PushReviewBody, requestId: string) {
  const { mission, workspace } = await missionInRepository(deps, caller, missionId, 'push');
  assertReviewable(mission, 'push', ['ready_for_review', 'merged']);
  return audited(deps, caller, mission, 'mission.review.push', requestId, { remote: body.remote }, async () => {
    const answer = await askGit(deps, workspace, { op: 'push', missionId: mission.id, remote: body.remote });
    const updated = await markMissionPushed(deps.db, mission.id);
    return { reviewStatus: updated.reviewStatus, pushedAt: updated.pushedAt!.toISOString(), remote: answer.remote as string, branch: answer.branch as string };
  });
}

export async function discardMissionBranch(deps: GitRpcDeps, caller: Caller, missionId: string, requestId: string) {
  const { mission, workspace } = await missionInRepository(deps, caller, missionId, 'discard');
  assertReviewable(mission, 'discard', ['ready_for_review', 'none']);
  return audited(deps, caller, mission, 'mission.review.discard', requestId, {}, async () => {
    await askGit(deps, workspace, { op: 'discard', missionId: mission.id });
    await closeReview(deps.db, mission.id, 'discarded');
    return { reviewStatus: 'discarded' as const };
  });
}
