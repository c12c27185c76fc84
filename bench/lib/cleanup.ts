import { Redis } from 'ioredis';
import { TEST_REDIS_URL, type StackFixture } from '@garrison/testkit';

/**
 * Everything a bench run created: its api and worker, its team's containers and volumes (the
 * floors' too, by the same team label), its team, user and rows, the worker's host row and the
 * Redis keys under its own prefix. Nothing else is touched.
 */
export async function removeBenchLeftovers(fixture: StackFixture): Promise<void> {
  const prefix = fixture.stack.redisPrefix;
  await fixture.stack.stop();
  // The stack's worker registers itself as `test-<prefix>` (packages/testkit/src/stack.ts).
  await fixture.db.prisma.workerHost.deleteMany({ where: { id: `test-${prefix}` } }).catch(() => {});
  await fixture.close();
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      if (keys.length > 0) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
