import type { Job } from 'bullmq';
import { MissionControlMessage, isActiveStatus } from '@garrison/core';
import { changeMissionStatus, findMissionById, findWorkspaceById } from '@garrison/db';
import { cancelInContainer, type MissionRunnerDeps } from './mission-runner.service.ts';

/**
 * `mission-control` queue. The cancel request is already recorded on the mission row; this job
 * only delivers it. A mission still starting picks the request up itself once its runner runs.
 */
export function createCancelMissionJob(deps: MissionRunnerDeps) {
  return async (job: Job<unknown>): Promise<void> => {
    const { missionId, actor } = MissionControlMessage.parse(job.data);
    const mission = await findMissionById(deps.db, missionId);
    if (!mission) return;
    if (mission.status === 'queued') {
      const change = await changeMissionStatus(deps.db, missionId, 'canceled', `canceled_by:${actor}`);
      if (change) await deps.publish(missionId, [change.event]);
      return;
    }
    if (!isActiveStatus(mission.status)) return;
    const workspace = await findWorkspaceById(deps.db, mission.workspaceId);
    const state = workspace ? await deps.runtime.inspectWorkspaceContainer(workspace.id) : null;
    if (state?.running) await cancelInContainer(deps, state.id, missionId, actor, deps.log);
  };
}
