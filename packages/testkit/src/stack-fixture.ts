import { Redis } from 'ioredis';
import { createDb, type Db } from '@garrison/db';
import { ApiClient } from './api-client.ts';
import { removeTeamWorkspaces } from './docker-cleanup.ts';
import { deleteTeam, seedTeam, type TestTeam } from './seed.ts';
import { TEST_DATABASE_URL, TEST_REDIS_URL, startStack, type RunningStack, type StackOptions } from './stack.ts';

export interface StackFixture {
  stack: RunningStack;
  db: Db;
  team: TestTeam;
  /** Signed in as the team's owner. */
  client: ApiClient;
  /** Stops the stack and removes everything the team left: containers, volumes, rows. */
  close(): Promise<void>;
}

/** A stopped stack leaves nothing behind: its worker host row and every Redis key under its prefix. */
async function forgetStack(db: Db, redisPrefix: string): Promise<void> {
  await db.prisma.workerHost.deleteMany({ where: { id: `test-${redisPrefix}` } });
  const redis = new Redis(TEST_REDIS_URL);
  try {
    for (let cursor = '0'; ; ) {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${redisPrefix}:*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
      if (cursor === '0') break;
    }
  } finally {
    redis.disconnect();
  }
}

/** A real running stack with a fresh team signed in: the usual start of a docker or e2e test. */
export async function openStackFixture(options: StackOptions = {}): Promise<StackFixture> {
  const db = createDb(TEST_DATABASE_URL);
  const team = await seedTeam(db);
  let stack: RunningStack | null = null;
  const close = async (): Promise<void> => {
    await stack?.stop();
    await removeTeamWorkspaces(team.teamId);
    await deleteTeam(db, team);
    if (stack) await forgetStack(db, stack.redisPrefix);
    await db.close();
  };
  try {
    stack = await startStack(options);
    const client = new ApiClient(stack.apiUrl);
    await client.login(team.email, team.password);
    return { stack, db, team, client, close };
  } catch (error) {
    await close();
    throw error;
  }
}
