import { Router } from 'express';
import type { Redis } from 'ioredis';
import type { Db } from '@garrison/db';
import { freshHeartbeats } from '../workers/worker-heartbeats.ts';

/** `docker` is what the workers report: the API itself never touches Docker. */
async function dockerStatus(redis: Redis, prefix: string): Promise<'ok' | 'down' | 'no_worker'> {
  const beats = await freshHeartbeats(redis, prefix);
  if (beats.length === 0) return 'no_worker';
  return beats.some((beat) => beat.docker === 'ok') ? 'ok' : 'down';
}

export function healthRoutes(deps: { db: Db; redis: Redis; redisPrefix: string }): Router {
  const router = Router();
  router.get('/health', async (_req, res) => {
    const [db, redis, docker] = await Promise.all([
      deps.db.pool.query('SELECT 1').then(() => 'ok' as const, () => 'down' as const),
      deps.redis.ping().then(() => 'ok' as const, () => 'down' as const),
      dockerStatus(deps.redis, deps.redisPrefix).catch(() => 'down' as const),
    ]);
    const ok = db === 'ok' && redis === 'ok' && docker === 'ok';
    res.status(ok ? 200 : 503).json({ ok, db, redis, docker });
  });
  // Readiness for a load balancer or an orchestrator: this API can serve missions end to end,
  // which takes Postgres, Redis and at least one worker whose heartbeat is fresh and sees Docker.
  router.get('/ready', async (_req, res) => {
    const [db, redis, beats] = await Promise.all([
      deps.db.pool.query('SELECT 1').then(() => 'ok' as const, () => 'down' as const),
      deps.redis.ping().then(() => 'ok' as const, () => 'down' as const),
      freshHeartbeats(deps.redis, deps.redisPrefix).catch(() => []),
    ]);
    const workers = beats.filter((beat) => beat.docker === 'ok').length;
    const ready = db === 'ok' && redis === 'ok' && workers > 0;
    res.status(ready ? 200 : 503).json({ ready, db, redis, workers });
  });
  return router;
}
