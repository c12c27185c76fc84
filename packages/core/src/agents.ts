import { z } from 'zod';

export const AgentKind = z.enum(['claude-code', 'codex', 'opencode', 'pi', 'shell']);
export type AgentKind = z.infer<typeof AgentKind>;

/** Model providers a team can hold a credential for; the gateway speaks each one's wire format. */
export const ModelProvider = z.enum(['anthropic', 'openai']);
export type ModelProvider = z.infer<typeof ModelProvider>;

export { AGENTS, type AgentInfo } from './agent-catalog.ts';

/** Agents the runner can launch in this build: every known agent has an adapter. */
export const AVAILABLE_AGENTS: readonly AgentKind[] = AgentKind.options;

export function isAgentAvailable(agent: AgentKind): boolean {
  return AVAILABLE_AGENTS.includes(agent);
}
