import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import { MaintenanceJob } from '@garrison/core';
import { findDefaultTemplate, type Db } from '@garrison/db';
import type { WorkspaceImageBuilder } from './workspace-image-builder.ts';

/** `maintenance` queue: on-demand rebuild of the workspace image of the default template. */
export function createMaintenanceJob(deps: { db: Db; images: WorkspaceImageBuilder; log: Logger; fallbackImage: string }) {
  return async (job: Job<unknown>): Promise<void> => {
    const task = MaintenanceJob.parse(job.data);
    const image = (await findDefaultTemplate(deps.db))?.image ?? deps.fallbackImage;
    deps.log.info({ image, actor: task.actor, noCache: task.noCache }, 'workspace image rebuild requested');
    await deps.images.build(image, 'requested', task.noCache);
  };
}
