import { z } from 'zod';

export const AgentKind = z.enum(['claude-code', 'codex', 'opencode', 'pi', 'shell']);
export type AgentKind = z.infer<typeof AgentKind>;

/**
 * Agents the runner can launch in this build. The others are known names whose adapters are
 * not shipped yet: the API refuses them with `agent_unavailable` instead of queueing a mission
 * that can never start.
 */
export const AVAILABLE_AGENTS: readonly AgentKind[] = ['shell'];

export function isAgentAvailable(agent: AgentKind): boolean {
  return AVAILABLE_AGENTS.includes(agent);
}
