import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { Express } from 'express';
import type { Logger } from 'pino';
import { Channel, LIVE_EVICTIONS_CHANNEL, controlJobOptions, missionJobOptions, QueueName, redisName, storedEventsCounterKey, type MissionBroadcast, type MissionEvent } from '@garrison/core';
import { createDb, createSecretBox, findMissionScope, type Db } from '@garrison/db';
import { createApp } from './app.ts';
import { csrfSecretFrom } from './http/csrf.ts';
import { bootstrapAdmin } from './auth/auth.service.ts';
import type { ApiEnv } from './env.ts';
import { createSocketServer } from './sockets/socket-server.ts';
import { SubscriptionRegistry } from './sockets/subscription-registry.ts';
import { relayImageProgress } from './sockets/image-room.ts';
import { relayWorkspaceStatus } from './sockets/workspace-room.ts';
import { relayTeamMission } from './sockets/team-room.ts';
import { relayLiveEviction } from './sockets/live-rooms.ts';
import { redisBlobStore } from './files/blob-store.ts';
import { attachTerminalSockets } from './sockets/terminal-socket.ts';
import { createBullmqRpc } from './workspaces/workspace-rpc.ts';

export interface RunningApi {
  url: string;
  db: Db;
  httpServer: HttpServer;
  /** The Express app, for tests that walk its routes (authorization-matrix.int.test.ts). */
  app: Express;
  close(): Promise<void>;
}

/** Wires adapters into the app and listens; main.ts and in-process tests both start it here. */
export async function startApiServer(env: ApiEnv, log: Logger): Promise<RunningApi> {
  const db = createDb(env.DATABASE_URL);
  const redis = new Redis(env.REDIS_URL, { maxRetriesPerRequest: null });
  const subscriber = redis.duplicate();
  const missionsQueue = new Queue(QueueName.Missions, { connection: redis, prefix: env.REDIS_PREFIX });
  const controlQueue = new Queue(QueueName.MissionControl, { connection: redis, prefix: env.REDIS_PREFIX });
  const workspaceOpsQueue = new Queue(QueueName.WorkspaceOps, { connection: redis, prefix: env.REDIS_PREFIX });
  const maintenanceQueue = new Queue(QueueName.Maintenance, { connection: redis, prefix: env.REDIS_PREFIX });
  const registry = new SubscriptionRegistry();
  const eventsChannel = redisName(env.REDIS_PREFIX, Channel.MissionEvents);
  const workspaceChannel = redisName(env.REDIS_PREFIX, Channel.WorkspaceEvents);
  const imageChannel = redisName(env.REDIS_PREFIX, Channel.ImageEvents);
  const evictionChannel = redisName(env.REDIS_PREFIX, LIVE_EVICTIONS_CHANNEL);

  const publish = async (missionId: string, events: MissionEvent[]): Promise<void> => {
    // A status change names its team, so every API node can tell that team's room without a query.
    const scope = events.some((event) => event.type === 'mission.status') ? await findMissionScope(db, missionId).catch(() => null) : null;
    await redis.publish(eventsChannel, JSON.stringify({ missionId, ...scope, events } satisfies MissionBroadcast));
    // The api stores some events itself (a mission's first `queued`, a person's messages): they
    // count towards /metrics' garrison_events_stored_total like the workers' (published after commit).
    if (events.length > 0) await redis.incrby(storedEventsCounterKey(env.REDIS_PREFIX), events.length).catch(() => {});
  };

  // File browser and web terminal: request/response with the worker that runs each workspace.
  const rpc = createBullmqRpc(redis, env.REDIS_PREFIX);
  const fileLimits = {
    uploadMaxBytes: env.FILE_UPLOAD_MAX_BYTES,
    downloadMaxBytes: env.FILE_DOWNLOAD_MAX_BYTES,
    timeoutMs: env.FILE_REQUEST_TIMEOUT_MS,
    claimTimeoutMs: env.WORKSPACE_RPC_CLAIM_TIMEOUT_MS,
  };

  const app = createApp({
    rpc,
    blobs: redisBlobStore(redis, env.REDIS_PREFIX),
    fileLimits,
    db,
    redis,
    redisPrefix: env.REDIS_PREFIX,
    log,
    sessionTtlHours: env.SESSION_TTL_HOURS,
    secrets: createSecretBox({ key: env.GARRISON_SECRET_KEY, previousKey: env.GARRISON_SECRET_KEY_PREVIOUS }),
    csrfSecret: csrfSecretFrom(env),
    webOrigin: env.WEB_ORIGIN,
    publish,
    metricsToken: env.METRICS_TOKEN,
    queueCounts: async () => {
      const queues = { [QueueName.Missions]: missionsQueue, [QueueName.MissionControl]: controlQueue, [QueueName.WorkspaceOps]: workspaceOpsQueue, [QueueName.Maintenance]: maintenanceQueue };
      const counts = await Promise.all(Object.values(queues).map((queue) => queue.getJobCounts('waiting', 'prioritized', 'delayed', 'active', 'failed')));
      return Object.fromEntries(Object.keys(queues).map((name, i) => [name, counts[i] ?? {}]));
    },
    missionQueueCounts: async () => {
      const counts = await missionsQueue.getJobCounts('waiting', 'prioritized', 'delayed', 'active');
      return { waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0) + (counts.delayed ?? 0), active: counts.active ?? 0 };
    },
    queue: {
      async enqueueMission(missionId, attempt, priority) {
        await missionsQueue.add('run', { missionId }, missionJobOptions(missionId, attempt, priority));
      },
      async enqueueControl(message) {
        await controlQueue.add(message.action, message, controlJobOptions());
      },
    },
    maintenanceQueue: {
      async enqueueMaintenance(job) {
        await maintenanceQueue.add(job.task, job, { removeOnComplete: true, removeOnFail: 100 });
      },
    },
    workspaceQueue: {
      async enqueueWorkspaceOp(job) {
        await workspaceOpsQueue.add(job.operation, job, { removeOnComplete: true, removeOnFail: 1000 });
      },
    },
  });

  const httpServer = createServer(app);
  const io = createSocketServer({ httpServer, db, registry, log, corsOrigin: env.WEB_ORIGIN });
  const terminals = await attachTerminalSockets(io, {
    db,
    redis,
    redisPrefix: env.REDIS_PREFIX,
    rpc,
    terminalTimeouts: { claimTimeoutMs: env.WORKSPACE_RPC_CLAIM_TIMEOUT_MS, timeoutMs: env.WORKSPACE_RPC_CLAIM_TIMEOUT_MS + 10_000 },
    subscriber: redis.duplicate(),
    log: log.child({ component: 'terminal' }),
  });

  // Every API node hears every persisted batch and status change and hands them to its own sockets.
  await subscriber.subscribe(eventsChannel, workspaceChannel, imageChannel, evictionChannel);
  // Redis drops a lagging subscriber, or restarts; ioredis resubscribes, but what was published
  // meanwhile is gone. A mission's last batch may be among it, with no later event to reveal the
  // gap: so every subscription replays from Postgres once the subscription is back.
  let subscriberDropped = false;
  subscriber.on('close', () => {
    subscriberDropped = true;
  });
  subscriber.on('ready', () => {
    if (!subscriberDropped) return;
    subscriberDropped = false;
    log.warn('mission broadcasts were interrupted; replaying open subscriptions from Postgres');
    // Subscribed again (a no-op if ioredis already did) before the replay's query, so nothing
    // committed after that query can be missed.
    subscriber.subscribe(eventsChannel, workspaceChannel, imageChannel, evictionChannel).then(
      () => registry.resyncAll(),
      (error: unknown) => log.error({ err: error }, 'resubscribing to broadcasts failed'),
    );
  });
  subscriber.on('message', (channel, message) => {
    try {
      if (channel === workspaceChannel) {
        relayWorkspaceStatus(io, message);
        return;
      }
      if (channel === imageChannel) {
        relayImageProgress(io, message);
        return;
      }
      if (channel === evictionChannel) {
        relayLiveEviction(io, message);
        return;
      }
      const broadcast = JSON.parse(message) as MissionBroadcast;
      registry.dispatch(broadcast.missionId, broadcast.events);
      relayTeamMission(io, broadcast);
    } catch (error) {
      log.warn({ err: error, channel }, 'unreadable broadcast skipped');
    }
  });

  await bootstrapAdmin(db, env.GARRISON_ADMIN_EMAIL, env.GARRISON_ADMIN_PASSWORD, log);
  await new Promise<void>((resolve) => httpServer.listen(env.API_PORT, env.API_HOST, resolve));
  const { port } = httpServer.address() as AddressInfo;
  log.info({ port, host: env.API_HOST }, 'api listening');

  return {
    url: `http://${env.API_HOST}:${port}`,
    db,
    httpServer,
    app,
    async close() {
      await io.close();
      await terminals.close();
      await rpc.close();
      await Promise.allSettled([missionsQueue.close(), controlQueue.close(), workspaceOpsQueue.close(), maintenanceQueue.close(), db.close()]);
      subscriber.disconnect();
      redis.disconnect();
    },
  };
}
