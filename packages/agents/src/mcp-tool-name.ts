import { MCP_SERVER_NAME } from '@garrison/core/runner-constants';

const PREFIX = `${MCP_SERVER_NAME}_`;

/**
 * OpenCode and pi offer the workspace MCP's tools as `garrison_<tool>`; events name them as Claude
 * Code, Codex's parser and the approval channel do (`mcp__garrison__<tool>`), so the dashboard
 * reads one name whatever the agent. Other tools keep the agent's own name.
 */
export function eventToolName(name: string): string {
  return name.startsWith(PREFIX) ? `mcp__${MCP_SERVER_NAME}__${name.slice(PREFIX.length)}` : name;
}
