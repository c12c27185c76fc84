import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { QueueName, missionJobOptions } from '@garrison/core';
import { listUnfinishedMissions, type Db } from '@garrison/db';

interface RequeueDeps {
  db: Db;
  redis: Redis;
  redisPrefix: string;
  hostId: string;
  log: Logger;
}

/**
 * A mission whose job vanished (Redis lost its data, or the job failed outright) would otherwise
 * stay open forever. Re-adding with the mission id as job id is a no-op for jobs that still exist.
 * `onlyQueued` leaves started missions alone: a live worker still follows them.
 */
export async function requeueUnfinishedMissions(deps: RequeueDeps, options: { onlyQueued?: boolean } = {}): Promise<void> {
  const queue = new Queue(QueueName.Missions, { connection: deps.redis, prefix: deps.redisPrefix });
  try {
    for (const mission of await listUnfinishedMissions(deps.db, deps.hostId)) {
      if (options.onlyQueued && mission.status !== 'queued') continue;
      const job = await queue.getJob(mission.id);
      if (!job || (await job.isFailed()) || (await job.isCompleted())) {
        await job?.remove().catch(() => {});
        await queue.add('run', { missionId: mission.id }, missionJobOptions(mission.id, 1, mission.priority));
        deps.log.info({ missionId: mission.id, status: mission.status }, 'requeued unfinished mission');
      }
    }
  } finally {
    await queue.close();
  }
}

/**
 * Redis often keeps nothing on disk: after its restart every job is gone, and a mission still
 * queued in Postgres (waiting for its workspace's slot, say) would wait forever. So each time
 * the connection comes back, queued missions get their jobs back. Running missions are left to
 * the worker following them in memory; if it dies, its next start requeues them.
 */
export function requeueWhenRedisReturns(deps: RequeueDeps, alsoOnReturn: () => Promise<void> = async () => {}): () => void {
  let dropped = false;
  const onClose = (): void => {
    dropped = true;
  };
  const onReady = (): void => {
    if (!dropped) return;
    dropped = false;
    requeueUnfinishedMissions(deps, { onlyQueued: true }).catch((error: unknown) => deps.log.error({ err: error }, 'requeue after a Redis reconnect failed'));
    // Repeatable schedules (event retention) lived in Redis too.
    alsoOnReturn().catch((error: unknown) => deps.log.error({ err: error }, 'restoring schedules after a Redis reconnect failed'));
  };
  deps.redis.on('close', onClose);
  deps.redis.on('ready', onReady);
  return () => {
    deps.redis.off('close', onClose);
    deps.redis.off('ready', onReady);
  };
}
