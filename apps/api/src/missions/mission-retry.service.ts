import { isTerminalStatus, DomainError, ErrorCode, MissionLimits, MissionPolicy } from '@garrison/core';
import { recordAudit } from '@garrison/db';
import type { Caller } from '../auth/caller.ts';
import { dispatchMission, getTeamMission, type MissionServiceDeps } from './mission.service.ts';

/**
 * Starts the same work again as a NEW mission (same workspace, agent, prompt, model, policy,
 * limits and priority), authored by the caller and linked to the original. Any ended mission may
 * be retried, a completed one too: "run it again" (a flaky check, a changed workspace) is as
 * common as "try again", and the original's log is never touched. It goes through the same
 * dispatch as POST /missions, so the same checks (agent available, key set, network) apply now.
 */
export async function retryMission(deps: MissionServiceDeps, caller: Caller, missionId: string, requestId: string) {
  const original = await getTeamMission(deps.db, caller, missionId);
  if (!isTerminalStatus(original.status)) {
    throw new DomainError(ErrorCode.MissionNotFinished, `Mission ${missionId} is still ${original.status}; wait for it to end or cancel it, then retry.`);
  }
  const policy = MissionPolicy.safeParse((original.policy as { mode?: unknown } | null)?.mode);
  const limits = MissionLimits.safeParse(original.limits ?? {});
  const retry = await dispatchMission(
    deps,
    caller,
    {
      workspaceId: original.workspaceId,
      agent: original.agent,
      prompt: original.prompt,
      ...(original.model ? { model: original.model } : {}),
      ...(policy.success ? { policy: policy.data } : {}),
      ...(limits.success ? { limits: limits.data } : {}),
      priority: original.priority,
      ...(original.repositoryId ? { repositoryId: original.repositoryId } : {}),
      ...(original.baseBranch ? { baseBranch: original.baseBranch } : {}),
    },
    requestId,
    { retryOfId: original.id },
  );
  await recordAudit(deps.db, { teamId: caller.teamId, actorId: caller.userId, action: 'mission.retry', targetType: 'mission', targetId: original.id, outcome: 'ok', requestId, metadata: { retryId: retry.id } });
  return retry;
}
