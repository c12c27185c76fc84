import { DelayedError, type Job } from 'bullmq';
import { MissionJob } from '@garrison/core';
import { WorkspaceFull, finish, runMission, type MissionRunnerDeps } from './mission-runner.service.ts';

/** How long a mission waiting for its workspace sleeps before asking again (a finish wakes it sooner). */
const WORKSPACE_WAIT_MS = 2000;

/** `missions` queue: parse the payload and hand the mission to the runner service. */
export function createRunMissionJob(deps: MissionRunnerDeps, shutdown: AbortSignal) {
  return async (job: Job<unknown>, token?: string): Promise<void> => {
    const { missionId } = MissionJob.parse(job.data);
    try {
      await runMission(deps, missionId, shutdown);
    } catch (error) {
      if (error instanceof WorkspaceFull) {
        // Waiting for a slot is not a failure: the job goes back as delayed, no attempt spent.
        await job.moveToDelayed(Date.now() + WORKSPACE_WAIT_MS, token);
        throw new DelayedError();
      }
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
