import { z } from 'zod';
import type { ToolContext } from './tools/tool-context.ts';

/** An empty variable means unset: agent configs often template every key, filled or not. */
const optionalText = z.preprocess((value) => (value === '' ? undefined : value), z.string().optional());

const envSchema = z.object({
  GARRISON_WORKSPACE_DIR: z.preprocess((value) => (value === '' ? undefined : value), z.string().default('/workspace')),
  /** The mission's state dir (requests/, responses/, outcome.json); unset outside a mission. */
  GARRISON_MISSION_DIR: optionalText,
  /**
   * An unknown policy stops the server at boot rather than falling back to auto: a typo must
   * never turn a read-only mission into one that writes.
   */
  GARRISON_POLICY: z.preprocess((value) => (value === '' ? undefined : value), z.enum(['ask', 'auto', 'read-only']).default('auto')),
});

/** Parsed once in main.ts from the env of the agent's MCP registration. */
export function parseEnv(env: NodeJS.ProcessEnv): ToolContext {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`bad environment: ${issues}`);
  }
  const { GARRISON_WORKSPACE_DIR: root, GARRISON_MISSION_DIR: missionDir, GARRISON_POLICY: policy } = parsed.data;
  return { root, policy, ...(missionDir ? { missionDir } : {}) };
}
