import { createServer } from 'node:http';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { Channel, MissionEvent, QueueName } from '@garrison/core';
import { createDb } from '@garrison/db';
import { createApp } from './app.ts';
import { bootstrapAdmin } from './auth/auth.service.ts';
import { parseApiEnv } from './env.ts';
import { createSocketServer } from './sockets/socket-server.ts';
import { SubscriptionRegistry } from './sockets/subscription-registry.ts';

const env = parseApiEnv(process.env);
const log = pino({ name: 'api', level: env.LOG_LEVEL });
const db = createDb(env.DATABASE_URL);
const redis = new Redis(env.REDIS_URL, { maxRetriesPerRequest: null });
const subscriber = redis.duplicate();
const missionsQueue = new Queue(QueueName.Missions, { connection: redis });
const controlQueue = new Queue(QueueName.MissionControl, { connection: redis });
const registry = new SubscriptionRegistry();

const publish = async (missionId: string, events: MissionEvent[]): Promise<void> => {
  await redis.publish(Channel.MissionEvents, JSON.stringify({ missionId, events }));
};

const app = createApp({
  db,
  redis,
  log,
  sessionTtlHours: env.SESSION_TTL_HOURS,
  publish,
  queue: {
    async enqueueMission(missionId) {
      await missionsQueue.add('run', { missionId }, { jobId: missionId, removeOnComplete: true, removeOnFail: 1000 });
    },
    async enqueueControl(message) {
      await controlQueue.add(message.action, message, { removeOnComplete: true, removeOnFail: 1000 });
    },
  },
});

const httpServer = createServer(app);
const io = createSocketServer({ httpServer, db, registry, log, corsOrigin: env.WEB_ORIGIN });

// Every API node hears every persisted batch and hands it to its own subscribers.
await subscriber.subscribe(Channel.MissionEvents);
subscriber.on('message', (_channel, message) => {
  try {
    const { missionId, events } = JSON.parse(message) as { missionId: string; events: MissionEvent[] };
    registry.dispatch(missionId, events);
  } catch (error) {
    log.warn({ err: error }, 'unreadable event broadcast skipped');
  }
});

await bootstrapAdmin(db, env.GARRISON_ADMIN_EMAIL, env.GARRISON_ADMIN_PASSWORD, log);
httpServer.listen(env.API_PORT, env.API_HOST, () => log.info({ port: env.API_PORT, host: env.API_HOST }, 'api listening'));

async function stop(signal: string): Promise<void> {
  log.info({ signal }, 'api stopping');
  io.close();
  httpServer.close();
  await Promise.allSettled([missionsQueue.close(), controlQueue.close(), db.close()]);
  subscriber.disconnect();
  redis.disconnect();
  process.exit(0);
}
process.once('SIGTERM', () => void stop('SIGTERM'));
process.once('SIGINT', () => void stop('SIGINT'));
