import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { HEARTBEAT_INTERVAL_MS, workerHeartbeatsKey, type HostResources, type WorkerHeartbeat } from '@garrison/core';
import type { Db } from '@garrison/db';
import { createHostResourceCollector } from './host-resources.ts';
import type { ContainerRuntime } from './runtime/container-runtime.ts';

/**
 * The API never talks to Docker, so each worker reports the engine's health: a field in a Redis
 * hash that readers treat as stale after a while, and a WorkerHost row for capacity planning.
 */
export function startHeartbeat(deps: {
  redis: Redis;
  redisPrefix: string;
  db: Db;
  runtime: ContainerRuntime;
  hostId: string;
  capacity: number;
  log: Logger;
  /** The agent CLIs found in the workspace image (null until probed). */
  agentCommands?: () => string[] | null;
  /** Labels this installation's containers: the workspaces counted in the host's resources. */
  installation?: string;
}): () => void {
  const collectResources = createHostResourceCollector({ runtime: deps.runtime, installation: deps.installation ?? 'garrison' });
  const beat = async (): Promise<void> => {
    const [docker, resources] = await Promise.all([
      deps.runtime.ping(),
      collectResources().catch((error: unknown) => {
        deps.log.debug({ err: error }, 'measuring host resources failed');
        return null;
      }),
    ]);
    const heartbeat: WorkerHeartbeat = {
      hostId: deps.hostId,
      docker: docker.ok ? 'ok' : 'down',
      dockerVersion: docker.version,
      agentCommands: deps.agentCommands?.() ?? null,
      at: new Date().toISOString(),
    };
    await deps.redis.hset(workerHeartbeatsKey(deps.redisPrefix), deps.hostId, JSON.stringify(heartbeat));
    await registerWorkerHost(deps.db, deps.hostId, deps.capacity, docker.version, resources);
  };
  const tick = (): void => {
    beat().catch((error: unknown) => deps.log.warn({ err: error }, 'heartbeat failed'));
  };
  tick();
  const timer = setInterval(tick, HEARTBEAT_INTERVAL_MS);
  return () => clearInterval(timer);
}

/** Upserts this host's row; workspaces are pinned to it, so it must exist before any job runs. */
export async function registerWorkerHost(db: Db, hostId: string, capacity: number, dockerVersion: string | null, resources?: HostResources | null): Promise<void> {
  const measured = resources ? { resources } : {};
  await db.prisma.workerHost.upsert({
    where: { id: hostId },
    create: { id: hostId, hostname: hostname(), dockerVersion, capacity, ...measured },
    update: { lastSeenAt: new Date(), dockerVersion, capacity, ...measured },
  });
}
