import type { Job } from 'bullmq';
import { MissionJob } from '@garrison/core';
import { finish, runMission, type MissionRunnerDeps } from './mission-runner.service.ts';

/** `missions` queue: parse the payload and hand the mission to the runner service. */
export function createRunMissionJob(deps: MissionRunnerDeps, shutdown: AbortSignal) {
  return async (job: Job<unknown>): Promise<void> => {
    const { missionId } = MissionJob.parse(job.data);
    try {
      await runMission(deps, missionId, shutdown);
    } catch (error) {
      // runMission is idempotent, so BullMQ retries it; the last failure must still end the
      // mission honestly instead of leaving it open forever.
      if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) {
        const message = error instanceof Error ? error.message : String(error);
        await finish(deps, missionId, { status: 'interrupted', reason: `worker_error: ${message.slice(0, 200)}` });
      }
      throw error;
    }
    if (shutdown.aborted) {
      // Never complete a job we stopped following: it must stay active so the next worker
      // takes it over from the last persisted seq.
      await new Promise<never>(() => {});
    }
  };
}
