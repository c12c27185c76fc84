import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { workerHeartbeatKey, type WorkerHeartbeat } from '@garrison/core';
import type { Db } from '@garrison/db';
import type { ContainerRuntime } from './runtime/container-runtime.ts';

const INTERVAL_MS = 5000;

/**
 * The API never talks to Docker, so each worker reports the engine's health: a Redis key that
 * expires when the worker stops reporting, and a WorkerHost row for capacity planning.
 */
export function startHeartbeat(deps: { redis: Redis; redisPrefix: string; db: Db; runtime: ContainerRuntime; hostId: string; capacity: number; log: Logger }): () => void {
  const beat = async (): Promise<void> => {
    const docker = await deps.runtime.ping();
    const heartbeat: WorkerHeartbeat = {
      hostId: deps.hostId,
      docker: docker.ok ? 'ok' : 'down',
      dockerVersion: docker.version,
      at: new Date().toISOString(),
    };
    await deps.redis.set(workerHeartbeatKey(deps.redisPrefix, deps.hostId), JSON.stringify(heartbeat), 'PX', INTERVAL_MS * 3);
    await deps.db.prisma.workerHost.upsert({
      where: { id: deps.hostId },
      create: { id: deps.hostId, hostname: hostname(), dockerVersion: docker.version, capacity: deps.capacity },
      update: { lastSeenAt: new Date(), dockerVersion: docker.version, capacity: deps.capacity },
    });
  };
  const tick = (): void => {
    beat().catch((error: unknown) => deps.log.warn({ err: error }, 'heartbeat failed'));
  };
  tick();
  const timer = setInterval(tick, INTERVAL_MS);
  return () => clearInterval(timer);
}
