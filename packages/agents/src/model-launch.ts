import { AGENTS } from '@garrison/core/agent-catalog';
import type { RunnerGateway, RunnerSpec } from '@garrison/core/runner-constants';

/** Model agents reach models only through the gateway; without one there is nothing honest to start. */
export function requireGateway(spec: RunnerSpec): RunnerGateway {
  if (!spec.gateway) throw new Error('no model gateway configured for this mission');
  return spec.gateway;
}

/** The mission's model, else the agent's default from the catalog. */
export function resolveModel(spec: RunnerSpec): string {
  const model = spec.model ?? AGENTS[spec.agent].defaultModel;
  if (!model) throw new Error(`agent ${spec.agent} has no model to run`);
  return model;
}

/**
 * How long an agent CLI waits for one MCP tool call: a person answering ask_human or an
 * approval can take a day, and a CLI that gives up first would fail the mission behind their back.
 */
export const MCP_TOOL_TIMEOUT_S = 24 * 60 * 60;
