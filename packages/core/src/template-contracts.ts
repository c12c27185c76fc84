import { z } from 'zod';

/** Network policies of a workspace; see apps/worker/src/runtime/network-guard.ts for what each allows. */
export const NetworkPolicy = z.enum(['model_only', 'egress', 'open', 'none']);
export type NetworkPolicy = z.infer<typeof NetworkPolicy>;

/**
 * Policies the worker enforces. `model_only` lets nothing out until the model gateway exists;
 * a policy not listed here would be refused rather than silently given another.
 */
export const AVAILABLE_NETWORK_POLICIES: readonly NetworkPolicy[] = ['model_only', 'egress', 'open', 'none'];

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Names Garrison sets itself, or that would change how programs in the workspace run. */
const RESERVED_ENV = /^(GARRISON_|LD_|NODE_OPTIONS$|PATH$|HOME$)/;

export const TemplateEnv = z
  .record(z.string().regex(ENV_NAME, 'env names may use letters, digits and _'), z.string().max(4096, 'env values may be at most 4096 characters'))
  .refine((env) => Object.keys(env).length <= 50, 'at most 50 env variables')
  .refine((env) => !Object.keys(env).some((name) => RESERVED_ENV.test(name)), 'GARRISON_*, LD_*, NODE_OPTIONS, PATH and HOME are set by Garrison');

export const CreateTemplateBody = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(80).regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]*$/, 'may use letters, digits, spaces, dots, dashes and underscores'),
  image: z.string().trim().regex(/^[a-z0-9][a-z0-9._/-]*(:[\w.-]+)?$/, 'must be an image reference like garrison/workspace:dev').optional(),
  initScript: z.string().max(64 * 1024, 'must be at most 64 KiB').optional(),
  env: TemplateEnv.optional(),
  memoryMb: z.number().int().min(128).max(65536).optional(),
  cpus: z.number().min(0.1).max(64).optional(),
  pidsLimit: z.number().int().min(32).max(32768).optional(),
  networkPolicy: NetworkPolicy.optional(),
});
export type CreateTemplateBody = z.infer<typeof CreateTemplateBody>;

export const DEFAULT_TEMPLATE_NAME = 'default';
/** The shared template for model agents: like `default`, but its workspaces reach the model gateway. */
export const AGENTS_TEMPLATE_NAME = 'agents';
