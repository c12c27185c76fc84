import type { Job } from 'bullmq';
import { MissionControlMessage, isActiveStatus } from '@garrison/core';
import { REOPENABLE_STATUSES, changeMissionStatus, findMissionById, findWorkspaceById, reopenMission, type Mission } from '@garrison/db';
import { cancelInContainer, type MissionRunnerDeps } from './mission-runner.service.ts';
import { deliverToRunner } from './runner-delivery.ts';

/** A delivery that found no runner yet (the mission is still starting) is retried by BullMQ. */
export class RunnerNotReady extends Error {}

/**
 * `mission-control` queue: a person's (or the gateway's) word for a mission's runner. The API
 * validated it and the mission row records cancels; this job only delivers, through exec.
 */
export function createMissionControlJob(deps: MissionRunnerDeps) {
  return async (job: Job<unknown>): Promise<void> => {
    const message = MissionControlMessage.parse(job.data);
    const mission = await findMissionById(deps.db, message.missionId);
    if (!mission) return;
    if (message.action === 'cancel' && mission.status === 'queued') {
      const change = await changeMissionStatus(deps.db, mission.id, 'canceled', message.reason ?? `canceled_by:${message.actor}`);
      if (change) await deps.publish(mission.id, [change.event]);
      return;
    }
    if (message.action === 'message' && !message.inputId && REOPENABLE_STATUSES.includes(mission.status)) {
      // The attempt ended between the API's check and this delivery: the follow-up is not lost,
      // it continues the session in a new attempt, as if it had been sent a moment later.
      const reopened = await reopenMission(deps.db, mission.id, { messageId: message.messageId, text: message.text, by: message.actor });
      if (reopened) {
        await deps.publish(mission.id, reopened.events).catch(() => {});
        await deps.enqueueMission(mission.id, reopened.attempt, mission.priority);
      }
      return;
    }
    if (!isActiveStatus(mission.status)) {
      // Still starting: the runner is not there to take it yet. Ended: nothing to deliver to.
      if (mission.status === 'provisioning' || mission.status === 'queued') throw new RunnerNotReady(`mission ${mission.id} is still starting`);
      deps.log.info({ missionId: mission.id, action: message.action, status: mission.status }, 'control message for a mission that is not running; dropped');
      return;
    }
    const containerId = await runningContainerOf(deps, mission);
    if (!containerId) throw new RunnerNotReady(`the container of mission ${mission.id} is not running`);
    if (message.action === 'cancel') {
      await cancelInContainer(deps, containerId, mission.id, message.actor, deps.log, message.reason);
      return;
    }
    const outcome = await deliverToRunner(deps, containerId, message);
    deps.log.info({ missionId: mission.id, action: message.action, outcome }, 'control message delivered');
    if (outcome === 'not_running') throw new RunnerNotReady(`the runner of mission ${mission.id} is not running`);
  };
}

async function runningContainerOf(deps: MissionRunnerDeps, mission: Pick<Mission, 'workspaceId'>): Promise<string | null> {
  const workspace = await findWorkspaceById(deps.db, mission.workspaceId);
  const state = workspace ? await deps.runtime.inspectWorkspaceContainer(workspace.id) : null;
  return state?.running ? state.id : null;
}
