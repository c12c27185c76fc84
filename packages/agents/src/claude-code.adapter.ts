import { MCP_SERVER_NAME, type RunnerPolicy } from '@garrison/core/runner-constants';
import type { AgentAdapter } from './adapter.ts';
import { baseAgentEnv } from './adapter.ts';
import { createClaudeCodeParser } from './claude-code.parser.ts';
import { MCP_TOOL_TIMEOUT_S, requireGateway, resolveModel } from './model-launch.ts';

/** Built-in tools that only look: Claude Code 2.1's file readers, web readers and its task list. */
const READ_ONLY_TOOLS = ['Read', 'Glob', 'Grep', 'WebFetch', 'WebSearch', 'TaskCreate', 'TaskGet', 'TaskList', 'TaskUpdate'];
/** Every tool of the workspace MCP server: it enforces the mission's policy on its own tools. */
const GARRISON_TOOLS = `mcp__${MCP_SERVER_NAME}`;
/** The workspace MCP tool that asks a person (Claude Code's --permission-prompt-tool protocol). */
export const CLAUDE_APPROVAL_TOOL = `mcp__${MCP_SERVER_NAME}__approval_prompt`;

/**
 * Policy -> permission flags, each checked against claude 2.1.329 as uid 1000:
 * - auto: bypassPermissions, no prompts (refused as root; the agent runs as uid 1000).
 * - ask: the default mode with the look-only tools and our MCP pre-approved, so every other
 *   built-in (Bash, Write, Edit, ...) is put to a person through the MCP's approval tool.
 *   AskUserQuestion is off: there is no terminal to answer it; ask_human is the way to ask.
 * - read-only: mutating built-ins are not even offered (--tools), and dontAsk denies whatever
 *   is not pre-approved instead of prompting.
 */
function permissionArgs(policy: RunnerPolicy): string[] {
  const allowed = [...READ_ONLY_TOOLS, GARRISON_TOOLS].join(',');
  if (policy === 'auto') return ['--permission-mode', 'bypassPermissions'];
  if (policy === 'ask') return ['--permission-mode', 'default', '--permission-prompt-tool', CLAUDE_APPROVAL_TOOL, '--allowedTools', allowed, '--disallowedTools', 'AskUserQuestion'];
  return ['--permission-mode', 'dontAsk', '--tools', READ_ONLY_TOOLS.join(','), '--allowedTools', allowed];
}

/**
 * Claude Code in print mode, one process per turn. Its config dir (sessions, transcripts) lives
 * on the volume under the mission, so `--resume` works after a container restart.
 */
export const claudeCodeAdapter: AgentAdapter = {
  kind: 'claude-code',
  buildLaunch(spec, turn, base) {
    const gateway = requireGateway(spec);
    const agentDir = `${base.missionDir}/agent`;
    const mcpConfigPath = `${agentDir}/claude-mcp.json`;
    const mcpConfig = {
      mcpServers: {
        // alwaysLoad: without it Claude Code hides MCP tools behind its ToolSearch tool.
        [MCP_SERVER_NAME]: { type: 'stdio', command: base.mcp.command, args: base.mcp.args, env: base.mcp.env, alwaysLoad: true },
      },
    };
    const args = [
      '-p',
      '--output-format', 'stream-json',
      '--verbose',
      '--include-partial-messages',
      '--mcp-config', mcpConfigPath,
      // Only our MCP server, and only settings from the mission's own config dir: a workspace's
      // .mcp.json or .claude/settings.json must not add servers, hooks or permission rules that
      // would undo the mission's policy.
      '--strict-mcp-config',
      '--setting-sources', 'user',
      '--model', resolveModel(spec),
      ...permissionArgs(spec.policy),
      ...(turn.resumeSessionId ? ['--resume', turn.resumeSessionId] : []),
      // A prompt that starts with '-' must not be read as an option.
      '--',
      turn.prompt,
    ];
    return {
      command: 'claude',
      args,
      cwd: base.workspaceDir,
      env: {
        ...baseAgentEnv(spec, base),
        ANTHROPIC_BASE_URL: gateway.anthropicBaseUrl,
        ANTHROPIC_API_KEY: gateway.token,
        CLAUDE_CONFIG_DIR: `${agentDir}/claude`,
        // Without it the CLI spends about 15 s retrying telemetry and update checks with no egress.
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
        DISABLE_AUTOUPDATER: '1',
        MCP_TOOL_TIMEOUT: String(MCP_TOOL_TIMEOUT_S * 1000),
      },
      files: [{ path: mcpConfigPath, content: `${JSON.stringify(mcpConfig, null, 2)}\n` }],
    };
  },
  createParser: createClaudeCodeParser,
};
