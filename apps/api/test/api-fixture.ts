import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { pino } from 'pino';
import { QueueName } from '@garrison/core';
import { ApiClient, TEST_DATABASE_URL, TEST_REDIS_URL, deleteTeam, seedTeam, type TestTeam } from '@garrison/testkit';
import { parseApiEnv } from '../src/env.ts';
import { startApiServer, type RunningApi } from '../src/server.ts';

export interface ApiFixture {
  api: RunningApi;
  redisPrefix: string;
  missionsQueue: Queue;
  workspaceOpsQueue: Queue;
  signedIn(team?: TestTeam): Promise<{ client: ApiClient; team: TestTeam }>;
  close(): Promise<void>;
}

/** The real API in-process on a free port, with its own Redis prefix and no worker. */
export async function startApiFixture(extraEnv: Record<string, string> = {}): Promise<ApiFixture> {
  const redisPrefix = `gt-${randomBytes(4).toString('hex')}`;
  const env = parseApiEnv({
    DATABASE_URL: TEST_DATABASE_URL,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: redisPrefix,
    API_PORT: '0',
    GARRISON_SECRET_KEY: randomBytes(32).toString('base64'),
    ...extraEnv,
  });
  const api = await startApiServer(env, pino({ level: 'silent' }));
  const missionsQueue = new Queue(QueueName.Missions, { connection: { url: TEST_REDIS_URL }, prefix: redisPrefix });
  const workspaceOpsQueue = new Queue(QueueName.WorkspaceOps, { connection: { url: TEST_REDIS_URL }, prefix: redisPrefix });
  const seeded: TestTeam[] = [];
  return {
    api,
    redisPrefix,
    missionsQueue,
    workspaceOpsQueue,
    async signedIn(existing) {
      const team = existing ?? (await seedTeam(api.db));
      if (!existing) seeded.push(team);
      const client = new ApiClient(api.url);
      await client.login(team.email, team.password);
      return { client, team };
    },
    async close() {
      for (const team of seeded) await deleteTeam(api.db, team);
      for (const queue of [missionsQueue, workspaceOpsQueue]) {
        await queue.obliterate({ force: true }).catch(() => {});
        await queue.close();
      }
      await api.close();
      await new Promise((resolve) => api.httpServer.close(resolve));
    },
  };
}
