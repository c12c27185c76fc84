import { MCP_SERVER_NAME, type RunnerPolicy, type RunnerSpec } from '@garrison/core/runner-constants';
import type { AgentAdapter, AgentFile, LaunchBase } from './adapter.ts';
import { baseAgentEnv } from './adapter.ts';
import { MCP_TOOL_TIMEOUT_S, requireGateway, resolveModel } from './model-launch.ts';
import { createOpenCodeParser } from './opencode.parser.ts';
import { launchWithPromptOnStdin } from './prompt-on-stdin.ts';

/** The provider id Garrison's gateway gets in OpenCode's config; models are `garrison/<model>`. */
const PROVIDER_ID = 'garrison';
/** What `@opencode-ai/plugin` is pinned to in a config dir; matches the CLI in the image. */
const OPENCODE_VERSION = '1.18.33';

/**
 * Under `ask` and `read-only` everything not listed is denied (denied tools are not offered to
 * the model at all): OpenCode's own write, edit, patch and bash, a repository's custom tools and
 * MCP servers, subagents (they would inherit the deny-all and could do nothing). Changes go
 * through the garrison MCP tools, which ask for approval or refuse by themselves.
 */
function permissionFor(policy: RunnerPolicy): Record<string, string> {
  if (policy === 'auto') {
    // `question` stays denied (it would wait on a terminal nobody watches) and `doom_loop` keeps
    // its default: `opencode run` rejects it, which ends a model stuck repeating one call.
    return { edit: 'allow', bash: 'allow', webfetch: 'allow', read: 'allow', external_directory: 'allow' };
  }
  // `invalid` is how OpenCode tells the model a tool it called does not exist.
  return { '*': 'deny', read: 'allow', glob: 'allow', grep: 'allow', list: 'allow', webfetch: 'allow', todowrite: 'allow', todoread: 'allow', skill: 'allow', invalid: 'allow', [`${MCP_SERVER_NAME}_*`]: 'allow' };
}

export function buildOpenCodeConfig(spec: RunnerSpec, base: LaunchBase): Record<string, unknown> {
  const gateway = requireGateway(spec);
  const model = resolveModel(spec);
  return {
    $schema: 'https://opencode.ai/config.json',
    autoupdate: false,
    share: 'disabled',
    // Provider keys in the template's env must not route around the gateway.
    enabled_providers: [PROVIDER_ID],
    model: `${PROVIDER_ID}/${model}`,
    small_model: `${PROVIDER_ID}/${model}`,
    provider: {
      [PROVIDER_ID]: {
        npm: '@ai-sdk/openai-compatible',
        name: 'Garrison gateway',
        options: { baseURL: gateway.openaiBaseUrl, apiKey: gateway.token },
        models: { [model]: { name: model } },
      },
    },
    mcp: {
      // `timeout` bounds every MCP request (default 5 s), an approval's wait included.
      [MCP_SERVER_NAME]: { type: 'local', command: [base.mcp.command, ...base.mcp.args], environment: base.mcp.env, enabled: true, timeout: MCP_TOOL_TIMEOUT_S * 1000 },
    },
    permission: permissionFor(spec.policy),
  };
}

/**
 * OpenCode installs `@opencode-ai/plugin` (63 MB from npm, about 16 s here) into every config dir
 * without a node_modules, in the background of each run. Garrison loads no OpenCode plugins, so
 * the config dir is seeded as already installed: OpenCode skips the install when node_modules
 * exists and the lockfile lists the package.
 */
function seededConfigDir(configDir: string): AgentFile[] {
  const dependencies = { '@opencode-ai/plugin': OPENCODE_VERSION };
  return [
    { path: `${configDir}/package.json`, content: `${JSON.stringify({ dependencies })}\n` },
    { path: `${configDir}/package-lock.json`, content: `${JSON.stringify({ lockfileVersion: 3, packages: { '': { dependencies } } })}\n` },
    { path: `${configDir}/node_modules/.garrison-seeded`, content: 'Garrison loads no OpenCode plugins; see opencode.adapter.ts.\n' },
  ];
}

/**
 * OpenCode (`opencode run --format json`): config through OPENCODE_CONFIG_CONTENT (the gateway as
 * an OpenAI-compatible provider, the workspace MCP server, permissions by policy), sessions in
 * its SQLite store under the mission's XDG dirs so `--session` works after a container restart.
 */
export const openCodeAdapter: AgentAdapter = {
  kind: 'opencode',
  buildLaunch(spec, turn, base) {
    const config = buildOpenCodeConfig(spec, base);
    const agentDir = `${base.missionDir}/agent`;
    const resume = turn.resumeSessionId;
    // A title of our own skips OpenCode's extra model call that would name the session.
    const args = ['run', '--format', 'json', '--thinking', ...(resume ? ['--session', resume] : ['--title', `Garrison mission ${spec.missionId}`])];
    const launch = {
      command: 'opencode',
      args,
      cwd: base.workspaceDir,
      env: {
        ...baseAgentEnv(spec, base),
        XDG_CONFIG_HOME: `${agentDir}/config`,
        XDG_DATA_HOME: `${agentDir}/data`,
        XDG_STATE_HOME: `${agentDir}/state`,
        XDG_CACHE_HOME: `${agentDir}/cache`,
        OPENCODE_CONFIG_CONTENT: JSON.stringify(config),
        // The gateway's models are in the config; no fetch of models.dev, no update checks.
        OPENCODE_DISABLE_MODELS_FETCH: '1',
        OPENCODE_DISABLE_AUTOUPDATE: '1',
        OPENCODE_DISABLE_SHARE: '1',
        OPENCODE_DISABLE_LSP_DOWNLOAD: '1',
        OPENCODE_DISABLE_DEFAULT_PLUGINS: '1',
      },
      files: seededConfigDir(`${agentDir}/config/opencode`),
    };
    return launchWithPromptOnStdin(launch, `${agentDir}/prompt.txt`, turn.prompt);
  },
  createParser: createOpenCodeParser,
};
