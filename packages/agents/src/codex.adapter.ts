import { MCP_SERVER_NAME, type RunnerGateway, type RunnerPolicy, type RunnerSpec } from '@garrison/core/runner-constants';
import type { AgentAdapter, LaunchBase } from './adapter.ts';
import { baseAgentEnv } from './adapter.ts';
import { createCodexParser } from './codex.parser.ts';
import { MCP_TOOL_TIMEOUT_S, requireGateway, resolveModel } from './model-launch.ts';

/** The provider entry in config.toml reads the mission token from this variable (env_key). */
export const CODEX_TOKEN_ENV = 'GARRISON_MODEL_TOKEN';
const PROVIDER_ID = 'garrison';

/**
 * A TOML basic string. JSON's escapes are valid TOML; TOML also wants DEL escaped and refuses
 * lone surrogates, which JSON.stringify would write as escapes.
 */
function tomlString(value: string): string {
  return JSON.stringify(value.replace(/[\uD800-\uDFFF]/gu, '\uFFFD')).replace(/\x7f/g, '\\u007f');
}

function tomlInlineTable(entries: Record<string, string>): string {
  return `{ ${Object.entries(entries).map(([key, value]) => `${tomlString(key)} = ${tomlString(value)}`).join(', ')} }`;
}

/**
 * Policy -> Codex settings, each checked against codex 0.169.0 in a workspace container (no
 * capabilities, no user namespaces):
 * - auto: no sandbox and no approvals; the container is the sandbox.
 * - ask and read-only: Codex's own shell tool is switched off (features.shell_tool), so the
 *   only tools that change anything are the workspace MCP's, which put each change to a person
 *   (ask) or refuse it (read-only). The read-only sandbox stays on as a second lock: here its
 *   bubblewrap cannot create a namespace, so any command Codex would still run fails instead of
 *   running unconfined.
 * In every mode Codex pre-approves the MCP server's tools (default_tools_approval_mode): under a
 * read-only sandbox it would otherwise refuse them itself, having no one to ask in exec mode.
 */
function policySettings(policy: RunnerPolicy): string[] {
  if (policy === 'auto') return ['approval_policy = "never"', 'sandbox_mode = "danger-full-access"'];
  return ['approval_policy = "never"', 'sandbox_mode = "read-only"', '', '[features]', 'shell_tool = false'];
}

export function codexConfig(spec: RunnerSpec, gateway: RunnerGateway, base: LaunchBase): string {
  return [
    `model = ${tomlString(resolveModel(spec))}`,
    `model_provider = "${PROVIDER_ID}"`,
    'check_for_update_on_startup = false',
    ...policySettings(spec.policy),
    '',
    `[model_providers.${PROVIDER_ID}]`,
    'name = "Garrison model gateway"',
    `base_url = ${tomlString(gateway.openaiBaseUrl)}`,
    // Chat Completions is refused by this Codex: Responses is its only wire API.
    'wire_api = "responses"',
    `env_key = "${CODEX_TOKEN_ENV}"`,
    '',
    `[mcp_servers.${MCP_SERVER_NAME}]`,
    `command = ${tomlString(base.mcp.command)}`,
    `args = [${base.mcp.args.map(tomlString).join(', ')}]`,
    `env = ${tomlInlineTable(base.mcp.env)}`,
    'startup_timeout_sec = 30',
    `tool_timeout_sec = ${MCP_TOOL_TIMEOUT_S}`,
    'default_tools_approval_mode = "approve"',
    '',
  ].join('\n');
}

/**
 * Codex in exec mode, one process per turn, with stdin closed by the runner (else it waits for
 * more prompt on stdin). CODEX_HOME is under the mission on the volume: sessions survive a
 * container restart, and Codex refuses to put its helper binaries under a temporary dir.
 * No --ephemeral: it would keep no session to resume.
 */
export const codexAdapter: AgentAdapter = {
  kind: 'codex',
  buildLaunch(spec, turn, base) {
    const gateway = requireGateway(spec);
    const codexHome = `${base.missionDir}/agent/codex`;
    const resume = turn.resumeSessionId ? ['resume'] : [];
    const args = [
      'exec',
      ...resume,
      '--json',
      '--skip-git-repo-check',
      '-c', 'analytics.enabled=false',
      '-c', 'features.plugins=false',
      // Positionals after '--': a prompt that starts with '-' must not be read as an option.
      '--',
      ...(turn.resumeSessionId ? [turn.resumeSessionId] : []),
      turn.prompt,
    ];
    return {
      command: 'codex',
      args,
      cwd: base.workspaceDir,
      env: { ...baseAgentEnv(spec, base), CODEX_HOME: codexHome, [CODEX_TOKEN_ENV]: gateway.token },
      files: [{ path: `${codexHome}/config.toml`, content: codexConfig(spec, gateway, base) }],
    };
  },
  createParser: createCodexParser,
};
