import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { Channel, missionJobOptions, QueueName, redisName } from '@garrison/core';
import { createDb, listUnfinishedMissions } from '@garrison/db';
import type { WorkerEnv } from './env.ts';
import { registerWorkerHost, startHeartbeat } from './heartbeat.ts';
import { createCancelMissionJob } from './missions/cancel-mission.job.ts';
import type { MissionRunnerDeps } from './missions/mission-runner.service.ts';
import { createRunMissionJob } from './missions/run-mission.job.ts';
import { WorkerManager } from './queues/worker-manager.ts';
import { DockerRuntime } from './runtime/docker-runtime.ts';

export interface RunningWorker {
  /** Stops following without ending any mission: runners keep running and jobs are taken over. */
  close(): Promise<void>;
}

/** Wires the worker's adapters and consumers; main.ts and in-process tests both start it here. */
export async function startWorker(env: WorkerEnv, log: Logger): Promise<RunningWorker> {
  const db = createDb(env.DATABASE_URL, { poolSize: Math.min(env.WORKER_CONCURRENCY + 2, 30) });
  const redis = new Redis(env.REDIS_URL, { maxRetriesPerRequest: null });
  const runtime = new DockerRuntime(env.DOCKER_SOCKET);
  const shutdown = new AbortController();

  const deps: MissionRunnerDeps = {
    db,
    runtime,
    log,
    hostId: env.GARRISON_HOST_ID,
    publish: async (missionId, events) => {
      await redis.publish(redisName(env.REDIS_PREFIX, Channel.MissionEvents), JSON.stringify({ missionId, events }));
    },
    workspaceLimits: {
      image: env.GARRISON_WORKSPACE_IMAGE,
      memoryBytes: env.WORKSPACE_MEMORY_MB * 1024 * 1024,
      nanoCpus: Math.round(env.WORKSPACE_CPUS * 1e9),
      pidsLimit: env.WORKSPACE_PIDS_LIMIT,
    },
  };

  await registerWorkerHost(db, env.GARRISON_HOST_ID, env.WORKER_CONCURRENCY, (await runtime.ping()).version);

  const manager = new WorkerManager(log, {
    connection: redis,
    prefix: env.REDIS_PREFIX,
    lockDuration: env.QUEUE_LOCK_MS,
    stalledInterval: env.QUEUE_STALLED_INTERVAL_MS,
    // A mission job lives as long as its mission; every worker restart stalls it once.
    maxStalledCount: 1000,
  });
  manager.register(QueueName.Missions, env.WORKER_CONCURRENCY, createRunMissionJob(deps, shutdown.signal));
  manager.register(QueueName.MissionControl, 4, createCancelMissionJob(deps));
  const stopHeartbeat = startHeartbeat({ redis, redisPrefix: env.REDIS_PREFIX, db, runtime, hostId: env.GARRISON_HOST_ID, capacity: env.WORKER_CONCURRENCY, log });

  /**
   * A mission whose job vanished (Redis lost its data, or the job failed outright) would otherwise
   * stay open forever. Re-adding with the mission id as job id is a no-op for jobs that still exist.
   */
  async function requeueOrphanedMissions(): Promise<void> {
    const queue = new Queue(QueueName.Missions, { connection: redis, prefix: env.REDIS_PREFIX });
    for (const mission of await listUnfinishedMissions(db, env.GARRISON_HOST_ID)) {
      const job = await queue.getJob(mission.id);
      if (!job || (await job.isFailed()) || (await job.isCompleted())) {
        await job?.remove().catch(() => {});
        await queue.add('run', { missionId: mission.id }, missionJobOptions(mission.id));
        log.info({ missionId: mission.id, status: mission.status }, 'requeued unfinished mission');
      }
    }
    await queue.close();
  }
  requeueOrphanedMissions().catch((error: unknown) => log.error({ err: error }, 'requeue of unfinished missions failed'));

  log.info({ concurrency: env.WORKER_CONCURRENCY, image: env.GARRISON_WORKSPACE_IMAGE }, 'worker started');

  return {
    async close() {
      shutdown.abort();
      stopHeartbeat();
      await manager.close(true);
      await db.close();
      redis.disconnect();
    },
  };
}
