import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import { MaintenanceJob } from '@garrison/core';
import { findDefaultTemplate, type Db } from '@garrison/db';
import { pruneExpiredEvents } from '../retention/event-retention.service.ts';
import type { WorkspaceImageBuilder } from './workspace-image-builder.ts';

export interface MaintenanceDeps {
  db: Db;
  images: WorkspaceImageBuilder;
  log: Logger;
  fallbackImage: string;
  /** EVENT_RETENTION_DAYS of this worker; 0 keeps every event. */
  eventRetentionDays: number;
}

/** `maintenance` queue: on-demand rebuild of the default template's image, and event retention. */
export function createMaintenanceJob(deps: MaintenanceDeps) {
  return async (job: Job<unknown>): Promise<void> => {
    const task = MaintenanceJob.parse(job.data);
    if (task.task === 'prune-events') {
      await pruneExpiredEvents(deps, { retentionDays: deps.eventRetentionDays });
      return;
    }
    const image = (await findDefaultTemplate(deps.db))?.image ?? deps.fallbackImage;
    deps.log.info({ image, actor: task.actor, noCache: task.noCache }, 'workspace image rebuild requested');
    await deps.images.build(image, 'requested', task.noCache);
  };
}
