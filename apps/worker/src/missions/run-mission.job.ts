import type { Job } from 'bullmq';
import { MissionJob } from '@garrison/core';
import { runMission, type MissionRunnerDeps } from './mission-runner.service.ts';

/** `missions` queue: parse the payload and hand the mission to the runner service. */
export function createRunMissionJob(deps: MissionRunnerDeps, shutdown: AbortSignal) {
  return async (job: Job<unknown>): Promise<void> => {
    const { missionId } = MissionJob.parse(job.data);
    await runMission(deps, missionId, shutdown);
    if (shutdown.aborted) {
      // Never complete a job we stopped following: it must stay active so the next worker
      // takes it over from the last persisted seq.
      await new Promise<never>(() => {});
    }
  };
}
