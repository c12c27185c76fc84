import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { Channel, QueueName, budgetStopJobId, missionJobOptions, redisName } from '@garrison/core';
import { createDb, ensureDefaultTemplate } from '@garrison/db';
import type { WorkerEnv } from './env.ts';
import { registerWorkerHost, startHeartbeat } from './heartbeat.ts';
import { createMissionControlJob } from './missions/mission-control.job.ts';
import { createEventPublisher } from './missions/event-publisher.ts';
import { countStoredEvents } from './missions/count-stored-events.ts';
import { cachedMissionScope } from './missions/mission-scope.ts';
import type { MissionRunnerDeps } from './missions/mission-runner.service.ts';
import { requeueUnfinishedMissions, requeueWhenRedisReturns } from './missions/requeue-unfinished.ts';
import { createRunMissionJob } from './missions/run-mission.job.ts';
import { WorkerManager } from './queues/worker-manager.ts';
import { WorkspaceImageBuilder } from './images/workspace-image-builder.ts';
import { createMaintenanceJob } from './images/maintenance.job.ts';
import { scheduleEventRetention } from './retention/retention-schedule.ts';
import { AgentCliProbe } from './images/agent-cli-probe.ts';
import { DockerRuntime } from './runtime/docker-runtime.ts';
import { registerWorkspaceAccess } from './workspace-access.ts';
import { startReconcileLoop } from './workspaces/reconcile-loop.ts';
import { createWorkspaceOpJob } from './workspaces/workspace-op.job.ts';

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

  const agentCli = new AgentCliProbe({ runtime, db, log, fallbackImage: env.GARRISON_WORKSPACE_IMAGE });
  const images = new WorkspaceImageBuilder({
    runtime,
    log,
    baseImage: env.GARRISON_BASE_IMAGE,
    onBuilt: () => void agentCli.refresh(),
    publish: async (event) => {
      await redis.publish(redisName(env.REDIS_PREFIX, Channel.ImageEvents), JSON.stringify(event));
    },
  });
  // Only used to wake a mission waiting for its workspace when a slot frees up.
  const missionsQueue = new Queue(QueueName.Missions, { connection: redis, prefix: env.REDIS_PREFIX });
  const maintenanceQueue = new Queue(QueueName.Maintenance, { connection: redis, prefix: env.REDIS_PREFIX });
  const controlQueue = new Queue(QueueName.MissionControl, { connection: redis, prefix: env.REDIS_PREFIX });
  const deps: MissionRunnerDeps = {
    db,
    runtime,
    log,
    hostId: env.GARRISON_HOST_ID,
    publish: countStoredEvents(redis, env.REDIS_PREFIX, createEventPublisher(redis, redisName(env.REDIS_PREFIX, Channel.MissionEvents), cachedMissionScope(db))),
    initTimeoutMs: env.INIT_TIMEOUT_MS,
    images,
    budgetStopRequested: async (missionId) => Boolean(await controlQueue.getJob(budgetStopJobId(missionId))),
    wakeMission: async (missionId) => {
      const job = await missionsQueue.getJob(missionId);
      if (job && (await job.isDelayed())) await job.promote();
    },
    enqueueMission: async (missionId, attempt, priority) => {
      await missionsQueue.add('run', { missionId }, missionJobOptions(missionId, attempt, priority));
    },
    publishWorkspace: async (event) => {
      await redis.publish(redisName(env.REDIS_PREFIX, Channel.WorkspaceEvents), JSON.stringify(event));
    },
    workspaceLimits: {
      installation: env.GARRISON_INSTALLATION_ID,
      image: env.GARRISON_WORKSPACE_IMAGE,
      // Only without any template (none exists before the first worker start).
      networkPolicy: 'none',
      memoryBytes: env.WORKSPACE_MEMORY_MB * 1024 * 1024,
      nanoCpus: Math.round(env.WORKSPACE_CPUS * 1e9),
      pidsLimit: env.WORKSPACE_PIDS_LIMIT,
      modelGatewayPort: env.GATEWAY_PORT,
    },
    agents: {
      gatewayPort: env.GATEWAY_PORT,
      ...(env.GATEWAY_URL ? { gatewayUrl: env.GATEWAY_URL } : {}),
      secretKey: env.GARRISON_SECRET_KEY,
      ...(env.GARRISON_SECRET_KEY_PREVIOUS ? { secretKeyPrevious: env.GARRISON_SECRET_KEY_PREVIOUS } : {}),
      watchdog: { warnAfterS: env.AGENT_SILENCE_WARN_S, failAfterS: Math.max(env.AGENT_SILENCE_FAIL_S, env.AGENT_SILENCE_WARN_S) },
    },
  };

  await registerWorkerHost(db, env.GARRISON_HOST_ID, env.WORKER_CONCURRENCY, (await runtime.ping()).version);
  await ensureDefaultTemplate(db, env.GARRISON_WORKSPACE_IMAGE, {
    memoryMb: env.WORKSPACE_MEMORY_MB,
    cpus: env.WORKSPACE_CPUS,
    pidsLimit: env.WORKSPACE_PIDS_LIMIT,
  });

  const manager = new WorkerManager(log, {
    connection: redis,
    prefix: env.REDIS_PREFIX,
    lockDuration: env.QUEUE_LOCK_MS,
    stalledInterval: env.QUEUE_STALLED_INTERVAL_MS,
    // A mission job lives as long as its mission; every worker restart stalls it once.
    maxStalledCount: 1000,
  });
  manager.register(QueueName.Missions, env.WORKER_CONCURRENCY, createRunMissionJob(deps, shutdown.signal));
  manager.register(QueueName.MissionControl, 4, createMissionControlJob(deps));
  manager.register(QueueName.WorkspaceOps, 4, createWorkspaceOpJob(deps));
  manager.register(QueueName.Maintenance, 1, createMaintenanceJob({ db, images, log, fallbackImage: env.GARRISON_WORKSPACE_IMAGE, eventRetentionDays: env.EVENT_RETENTION_DAYS }));
  const retentionScheduled = scheduleEventRetention(maintenanceQueue, env.EVENT_RETENTION_DAYS).catch((error: unknown) =>
    log.error({ err: error }, 'scheduling event retention failed'),
  );
  // A fresh host has no workspace image yet: build it now rather than on the first workspace.
  images
    .ensure(env.GARRISON_WORKSPACE_IMAGE)
    .then(() => agentCli.ensureProbed())
    .catch((error: unknown) => log.error({ err: error }, 'workspace image not available'));
  const workspaceAccess = registerWorkspaceAccess(manager, { env, db, redis, runtime, log });
  const stopHeartbeat = startHeartbeat({ redis, redisPrefix: env.REDIS_PREFIX, db, runtime, hostId: env.GARRISON_HOST_ID, capacity: env.WORKER_CONCURRENCY, log, agentCommands: () => agentCli.commands(), installation: env.GARRISON_INSTALLATION_ID });

  const stopReconcile = startReconcileLoop(deps, {
    installation: env.GARRISON_INSTALLATION_ID,
    intervalMs: env.RECONCILE_INTERVAL_MS,
    idleAfterMs: env.IDLE_AFTER_MS,
    idleAction: env.IDLE_ACTION,
  });
  requeueUnfinishedMissions({ db, redis, redisPrefix: env.REDIS_PREFIX, hostId: env.GARRISON_HOST_ID, log }).catch((error: unknown) =>
    log.error({ err: error }, 'requeue of unfinished missions failed'),
  );
  const stopRequeueOnReconnect = requeueWhenRedisReturns({ db, redis, redisPrefix: env.REDIS_PREFIX, hostId: env.GARRISON_HOST_ID, log }, () =>
    scheduleEventRetention(maintenanceQueue, env.EVENT_RETENTION_DAYS),
  );

  log.info({ concurrency: env.WORKER_CONCURRENCY, image: env.GARRISON_WORKSPACE_IMAGE }, 'worker started');

  return {
    async close() {
      shutdown.abort();
      stopHeartbeat();
      stopReconcile();
      stopRequeueOnReconnect();
      await workspaceAccess.close();
      await manager.close(true);
      await missionsQueue.close();
      await retentionScheduled;
      await maintenanceQueue.close();
      await controlQueue.close();
      await db.close();
      redis.disconnect();
    },
  };
}
