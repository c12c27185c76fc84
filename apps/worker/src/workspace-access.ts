import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { QueueName, hostQueueName } from '@garrison/core';
import { createSecretBox, type Db } from '@garrison/db';
import type { WorkerEnv } from './env.ts';
import { redisBlobStore } from './files/blob-store.ts';
import { createWorkspaceFilesJob } from './files/workspace-files.job.ts';
import { createWorkspaceGitJob } from './git/workspace-git.job.ts';
import type { WorkerManager } from './queues/worker-manager.ts';
import type { ContainerRuntime } from './runtime/container-runtime.ts';
import { createOpenTerminalJob } from './terminals/open-terminal.job.ts';
import { TerminalSessions } from './terminals/terminal-sessions.ts';
import { startTerminalSweep } from './terminals/terminal-sweep.ts';
import { createWorkspaceStatsJob } from './workspaces/workspace-stats.job.ts';

/**
 * People in a workspace: the file browser, the web terminal, usage samples and git. All are request/response
 * queues, consumed twice: the shared queue (workspaces no host runs yet) and this host's own
 * (hostQueueName), since only the host that runs a container can exec into it.
 */
export function registerWorkspaceAccess(
  manager: WorkerManager,
  deps: { env: WorkerEnv; db: Db; redis: Redis; runtime: ContainerRuntime; log: Logger },
): { close(): Promise<void> } {
  const { env, db, redis, runtime, log } = deps;
  const filesJob = createWorkspaceFilesJob({
    db,
    runtime,
    log: log.child({ component: 'files' }),
    blobs: redisBlobStore(redis, env.REDIS_PREFIX),
    execTimeoutMs: env.FILE_OP_TIMEOUT_MS,
  });
  const sessions = new TerminalSessions({
    db,
    runtime,
    redis,
    subscriber: new Redis(env.REDIS_URL, { maxRetriesPerRequest: null }),
    prefix: env.REDIS_PREFIX,
    hostId: env.GARRISON_HOST_ID,
    log: log.child({ component: 'terminal' }),
  });
  const openJob = createOpenTerminalJob(sessions);
  const statsJob = createWorkspaceStatsJob({ runtime });
  const secrets = createSecretBox({ key: env.GARRISON_SECRET_KEY, previousKey: env.GARRISON_SECRET_KEY_PREVIOUS });
  const gitJob = createWorkspaceGitJob({ db, runtime, secrets, log: log.child({ component: 'git' }) });
  for (const hostId of [null, env.GARRISON_HOST_ID]) {
    manager.register(hostQueueName(QueueName.WorkspaceFiles, hostId), 8, filesJob);
    manager.register(hostQueueName(QueueName.TerminalSessions, hostId), 8, openJob);
    manager.register(hostQueueName(QueueName.WorkspaceStats, hostId), 4, statsJob);
    manager.register(hostQueueName(QueueName.WorkspaceGit, hostId), 4, gitJob);
  }
  const sweepDeps = { redis, prefix: env.REDIS_PREFIX, hostId: env.GARRISON_HOST_ID, log };
  const stopSweep = startTerminalSweep(sessions, sweepDeps, env.TERMINAL_IDLE_MS);
  sessions.announceRestart().catch((error: unknown) => log.warn({ err: error }, 'terminal restart notice failed'));
  return {
    async close() {
      stopSweep();
      await sessions.close();
    },
  };
}
