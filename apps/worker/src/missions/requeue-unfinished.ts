import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { QueueName, missionJobOptions } from '@garrison/core';
import { listUnfinishedMissions, type Db } from '@garrison/db';

/**
 * A mission whose job vanished (Redis lost its data, or the job failed outright) would otherwise
 * stay open forever. Re-adding with the mission id as job id is a no-op for jobs that still exist.
 */
export async function requeueUnfinishedMissions(deps: { db: Db; redis: Redis; redisPrefix: string; hostId: string; log: Logger }): Promise<void> {
  const queue = new Queue(QueueName.Missions, { connection: deps.redis, prefix: deps.redisPrefix });
  try {
    for (const mission of await listUnfinishedMissions(deps.db, deps.hostId)) {
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
