import { z } from 'zod';
import { parseEnvironment } from '@garrison/core';
import { isSecretKey, SECRET_KEY_HELP } from '@garrison/db';

/** Provider keys are sealed with this key by the API; the gateway opens them with the same one. */
const secretKey = () => z.string({ error: `is required: it ${SECRET_KEY_HELP}` }).refine(isSecretKey, SECRET_KEY_HELP);
const httpUrl = z
  .string()
  .url()
  .refine((value) => /^https?:\/\//.test(value), 'must start with http:// or https://');

/** The model gateway's configuration, parsed once at boot. */
export const GatewayEnv = z.object({
  DATABASE_URL: z.string().url().default('postgresql://postgres@127.0.0.1:5432/garrison'),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  /** Namespace of every queue and key in Redis; the same on api, worker and gateway. */
  REDIS_PREFIX: z.string().regex(/^[\w.-]+$/).default('garrison'),
  GARRISON_SECRET_KEY: secretKey(),
  /** The key before the last rotation, for rows `npm run credentials:rotate` has not resealed yet. */
  GARRISON_SECRET_KEY_PREVIOUS: secretKey().optional(),
  /** Workspaces reach the gateway through their network's gateway address, so it listens on all of them. */
  GATEWAY_HOST: z.string().default('0.0.0.0'),
  GATEWAY_PORT: z.coerce.number().int().min(0).max(65535).default(8790),
  /** Where Anthropic calls go when the team's credential names no base URL (without /v1). */
  ANTHROPIC_UPSTREAM_URL: httpUrl.default('https://api.anthropic.com'),
  /** Where OpenAI calls go when the team's credential names no base URL (with /v1, the OpenAI convention). */
  OPENAI_UPSTREAM_URL: httpUrl.default('https://api.openai.com/v1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});
export type GatewayEnv = z.infer<typeof GatewayEnv>;

export function parseGatewayEnv(source: NodeJS.ProcessEnv): GatewayEnv {
  return parseEnvironment(GatewayEnv, source, 'gateway');
}
