import { AGENTS, isTerminalStatus, type AgentKind, type MissionOutcome } from '@garrison/core';
import { changeMissionStatus, endMissionAttempt, findMissionById, nextQueuedMission, revokeGatewayToken } from '@garrison/db';
import type { MissionRunnerDeps } from './mission-runner.service.ts';
import { settleMissionBranch } from './mission-worktree.ts';

/**
 * Ends a mission in exactly one terminal state: the status (with its event), the attempt, the
 * gateway token, the resumable flag, the workspace's idle clock and the next mission in line.
 */
export async function finish(deps: MissionRunnerDeps, missionId: string, outcome: MissionOutcome, exitCode: number | null = null): Promise<void> {
  await settleMissionBranch(deps, missionId).catch((error: unknown) => deps.log.warn({ err: error, missionId }, 'settling the mission branch failed'));
  await markResumable(deps, missionId, outcome);
  const change = await changeMissionStatus(deps.db, missionId, outcome.status, outcome.reason, exitCode === null ? {} : { exitCode });
  // The agent's gateway token dies with the mission, whoever ended it.
  await revokeGatewayToken(deps.db, missionId).catch((error: unknown) => deps.log.warn({ err: error, missionId }, 'revoking the gateway token failed'));
  if (change) {
    await deps.publish(missionId, [change.event]).catch(() => {});
    await endMissionAttempt(deps.db, missionId, exitCode, outcome.reason);
    // A mission's end is workspace activity: the idle clock starts from here, and the next
    // mission waiting for this workspace may go.
    const mission = await findMissionById(deps.db, missionId);
    if (mission) {
      await deps.db.prisma.workspace.update({ where: { id: mission.workspaceId }, data: { lastActiveAt: new Date() } });
      const next = await nextQueuedMission(deps.db, mission.workspaceId);
      if (next) await deps.wakeMission(next).catch(() => {});
    }
    deps.log.info({ missionId, status: outcome.status, reason: outcome.reason }, 'mission finished');
  }
}

/**
 * Whatever ends a mission, an agent whose session is known can continue it (a resume or a
 * follow-up); a person's cancel is the exception: they stopped it on purpose. Set before the
 * terminal status, so whoever sees the status sees the flag too.
 */
async function markResumable(deps: MissionRunnerDeps, missionId: string, outcome: MissionOutcome): Promise<void> {
  const mission = await findMissionById(deps.db, missionId);
  if (!mission || isTerminalStatus(mission.status)) return;
  const resumable = outcome.status !== 'canceled' && mission.agentSessionId !== null && AGENTS[mission.agent as AgentKind]?.resume === true;
  if (resumable !== mission.resumable) await deps.db.prisma.mission.update({ where: { id: missionId }, data: { resumable } });
}
