import type { Queue } from 'bullmq';
import type { MaintenanceJob } from '@garrison/core';

export const RETENTION_SCHEDULER_ID = 'prune-events';
export const RETENTION_EVERY_MS = 3600_000;

const job: MaintenanceJob = { task: 'prune-events' };

/**
 * Event retention runs every hour and once now. The scheduler has a fixed id, so every worker
 * upserts the same one and the installation runs it once an hour, not once per worker; the run
 * at start is a plain job (a run more is harmless: a pruned mission is not due again).
 * With retention off the schedule is removed, so switching it off takes effect.
 */
export async function scheduleEventRetention(queue: Queue, retentionDays: number): Promise<void> {
  if (retentionDays <= 0) {
    await queue.removeJobScheduler(RETENTION_SCHEDULER_ID);
    return;
  }
  await queue.upsertJobScheduler(RETENTION_SCHEDULER_ID, { every: RETENTION_EVERY_MS }, { name: job.task, data: job, opts: { removeOnComplete: true, removeOnFail: 100 } });
  await queue.add(job.task, job, { removeOnComplete: true, removeOnFail: 100 });
}
