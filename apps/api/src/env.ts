import { z } from 'zod';
import { DEFAULT_FILE_DOWNLOAD_MAX_BYTES, DEFAULT_FILE_UPLOAD_MAX_BYTES, parseEnvironment } from '@garrison/core';
import { isSecretKey, SECRET_KEY_HELP } from '@garrison/db';

/** Provider keys are sealed with this (AES-256-GCM); api and gateway must run with the same key. */
const secretKeyVariable = () => z.string({ error: `is required: it ${SECRET_KEY_HELP}` }).refine(isSecretKey, SECRET_KEY_HELP);

/** The API's configuration, parsed once at boot. */
export const ApiEnv = z.object({
  DATABASE_URL: z.string().url().default('postgresql://postgres@127.0.0.1:5432/garrison'),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  /** Namespace of every queue, channel and key in Redis; the same on api and worker. */
  REDIS_PREFIX: z.string().regex(/^[\w.-]+$/).default('garrison'),
  API_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  API_HOST: z.string().default('127.0.0.1'),
  /** Browser origin allowed to call the API cross-origin; same-origin use through web or Caddy needs none. */
  WEB_ORIGIN: z.string().optional(),
  SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 90).default(24 * 14),
  GARRISON_ADMIN_EMAIL: z.string().email().optional(),
  GARRISON_ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  /** The file browser refuses larger uploads with 413 before anything reaches the workspace. */
  FILE_UPLOAD_MAX_BYTES: z.coerce.number().int().min(1).default(DEFAULT_FILE_UPLOAD_MAX_BYTES),
  /** Larger files are refused for download (413); the bytes pass through Redis on their way. */
  FILE_DOWNLOAD_MAX_BYTES: z.coerce.number().int().min(1).default(DEFAULT_FILE_DOWNLOAD_MAX_BYTES),
  /** How long a file operation or a terminal attach may wait for the worker of the workspace's host to take it. */
  WORKSPACE_RPC_CLAIM_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  /** How long the API waits for a file operation's answer (the worker's FILE_OP_TIMEOUT_MS plus transfer). */
  FILE_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).default(90_000),
  GARRISON_SECRET_KEY: secretKeyVariable(),
  /** The key before the last rotation: rows `npm run credentials:rotate` has not resealed yet still open. */
  GARRISON_SECRET_KEY_PREVIOUS: secretKeyVariable().optional(),
  /** Signs CSRF tokens; unset, one is derived from GARRISON_SECRET_KEY. Changing it only makes open pages fetch a new token. */
  CSRF_SECRET: z.string().min(32, 'must be at least 32 characters (e.g. `openssl rand -hex 32`)').optional(),
  /** When set, GET /metrics wants it as a bearer token (the route is not behind Caddy either way). */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});
export type ApiEnv = z.infer<typeof ApiEnv>;

export function parseApiEnv(source: NodeJS.ProcessEnv): ApiEnv {
  return parseEnvironment(ApiEnv, source, 'API');
}
