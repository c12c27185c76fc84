import { hostname } from 'node:os';
import { z } from 'zod';
import { parseEnvironment } from '@garrison/core';
import { isSecretKey, SECRET_KEY_HELP } from '@garrison/db';

/** The worker's configuration, parsed once at boot; a bad value stops it with a clear message. */
export const WorkerEnv = z.object({
  DATABASE_URL: z.string().url().default('postgresql://postgres@127.0.0.1:5432/garrison'),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  /** Namespace of every queue, channel and key in Redis; the same on api and worker. */
  REDIS_PREFIX: z.string().regex(/^[\w.-]+$/).default('garrison'),
  DOCKER_SOCKET: z.string().default('/var/run/docker.sock'),
  GARRISON_WORKSPACE_IMAGE: z.string().min(1).default('garrison/workspace:dev'),
  /** What the worker builds the workspace image FROM when it is missing (seeded offline, or node:22-bookworm-slim). */
  GARRISON_BASE_IMAGE: z.string().min(1).default('garrison/base:bookworm'),
  GARRISON_HOST_ID: z.string().min(1).default(hostname()),
  /** Labels this installation's containers; the reconciler removes orphans only among them. */
  GARRISON_INSTALLATION_ID: z.string().regex(/^[\w.-]+$/).default('garrison'),
  /** A template's init script is killed after this long and the workspace goes to `error`. */
  INIT_TIMEOUT_MS: z.coerce.number().int().min(1000).default(15 * 60_000),
  /** A running workspace with no open mission for this long is stopped (or paused); 0 never. */
  IDLE_AFTER_MS: z.coerce.number().int().min(0).default(30 * 60_000),
  IDLE_ACTION: z.enum(['stop', 'pause']).default('stop'),
  /** A web terminal nobody is attached to for this long is ended (its shell and scrollback with it). */
  TERMINAL_IDLE_MS: z.coerce.number().int().min(1000).default(15 * 60_000),
  /** Bounds one file browser operation inside a container (a 50 MB download included). */
  FILE_OP_TIMEOUT_MS: z.coerce.number().int().min(1000).default(60_000),
  /**
   * Events of missions that ended more than this many days ago are deleted (hourly and at start),
   * except each mission's result and final status; 0 keeps every event forever.
   */
  EVENT_RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(30),
  /** How often the reconciler compares Postgres with Docker (it also runs at start). */
  RECONCILE_INTERVAL_MS: z.coerce.number().int().min(1000).default(60_000),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(20),
  WORKSPACE_MEMORY_MB: z.coerce.number().int().min(64).default(2048),
  WORKSPACE_CPUS: z.coerce.number().positive().max(64).default(1),
  WORKSPACE_PIDS_LIMIT: z.coerce.number().int().min(16).default(512),
  /** How long a job stays locked without renewal before another worker may take it over. */
  QUEUE_LOCK_MS: z.coerce.number().int().min(1000).default(30_000),
  /** Must be the same on every worker: the stall check runs at the last worker's interval. */
  QUEUE_STALLED_INTERVAL_MS: z.coerce.number().int().min(500).default(15_000),
  /** Signs each mission's model-gateway token; the same key as the API's and the gateway's. */
  GARRISON_SECRET_KEY: z.string({ error: `is required: it ${SECRET_KEY_HELP}` }).refine(isSecretKey, SECRET_KEY_HELP),
  /** Only while rotating the key (INSTALL.md): repository credentials sealed with it still open. */
  GARRISON_SECRET_KEY_PREVIOUS: z.string().refine(isSecretKey, SECRET_KEY_HELP).optional(),
  /** The gateway's port on this host; workspaces reach it at the host's address on their own network. */
  GATEWAY_PORT: z.coerce.number().int().min(1).max(65535).default(8790),
  /** Where workspaces reach the gateway when it is not on this host's GATEWAY_PORT. */
  GATEWAY_URL: z.string().url().optional(),
  /** An agent silent this long while it should be working is reported... */
  AGENT_SILENCE_WARN_S: z.coerce.number().positive().default(120),
  /** ...and past this long it is stopped and its mission fails as agent_unresponsive. */
  AGENT_SILENCE_FAIL_S: z.coerce.number().positive().default(600),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});
export type WorkerEnv = z.infer<typeof WorkerEnv>;

export function parseWorkerEnv(source: NodeJS.ProcessEnv): WorkerEnv {
  return parseEnvironment(WorkerEnv, source, 'worker');
}
