import { MCP_SERVER_NAME, type RunnerGateway, type RunnerSpec } from '@garrison/core/runner-constants';
import type { AgentAdapter, LaunchBase } from './adapter.ts';
import { baseAgentEnv } from './adapter.ts';
import { requireGateway, resolveModel } from './model-launch.ts';
import type { BridgeConfig } from './pi-mcp-bridge.extension.ts';
import { PI_MCP_BRIDGE_SOURCE } from './pi-mcp-bridge.source.ts';
import { createPiParser } from './pi.parser.ts';
import { launchWithPromptOnStdin } from './prompt-on-stdin.ts';

/** models.json names this variable as the key (pi reads a value that names a variable from it). */
export const PI_TOKEN_ENV = 'GARRISON_MODEL_TOKEN';
const PROVIDER_ID = 'garrison';

/**
 * pi's built-in tools that only look. `find` is left out: it needs fd, which the image lacks
 * (and PI_OFFLINE stops pi downloading it); garrison_glob does the same job.
 */
const READ_ONLY_BUILTINS = ['read', 'grep', 'ls'];

export function piModelsJson(gateway: RunnerGateway, model: string): string {
  // The key is the variable's name, not the token: nothing secret lands on the volume.
  const providers = { [PROVIDER_ID]: { baseUrl: gateway.openaiBaseUrl, api: 'openai-completions', apiKey: PI_TOKEN_ENV, models: [{ id: model }] } };
  return `${JSON.stringify({ providers }, null, 2)}\n`;
}

/** The extension pi loads: the bridge's source, then a default export carrying this mission's config. */
export function piExtensionSource(config: BridgeConfig): string {
  return `${PI_MCP_BRIDGE_SOURCE}\nexport default async function garrison(pi: PiExtensionApi): Promise<void> {\n  exitNonZeroOnModelError(pi);\n  await startMcpBridge(pi, ${JSON.stringify(config)});\n}\n`;
}

function bridgeConfig(spec: RunnerSpec, base: LaunchBase): BridgeConfig {
  return {
    serverName: MCP_SERVER_NAME,
    command: base.mcp.command,
    args: base.mcp.args,
    env: base.mcp.env,
    ...(spec.policy === 'auto' ? {} : { builtinTools: READ_ONLY_BUILTINS }),
  };
}

/**
 * pi (`pi -p --mode json`): the gateway as a custom OpenAI-compatible provider in models.json,
 * the workspace MCP through our bridge extension (pi has no MCP of its own), and its agent dir,
 * sessions included, under the mission on the volume so `--session <id>` works after a restart.
 * Under `ask` and `read-only` only pi's looking tools stay active, so every change goes through
 * the MCP tools, and a repository's own pi extensions are not loaded (they could add tools).
 */
export const piAdapter: AgentAdapter = {
  kind: 'pi',
  buildLaunch(spec, turn, base) {
    const gateway = requireGateway(spec);
    const model = resolveModel(spec);
    const agentDir = `${base.missionDir}/agent`;
    const piDir = `${agentDir}/pi`;
    // Outside `extensions/`, which pi would also load by itself.
    const extensionPath = `${piDir}/garrison-mcp-bridge.ts`;
    const args = [
      '-p', '--mode', 'json',
      '--provider', PROVIDER_ID, '--model', model,
      ...(spec.policy === 'auto' ? [] : ['--no-extensions']),
      '-e', extensionPath,
      ...(turn.resumeSessionId ? ['--session', turn.resumeSessionId] : []),
    ];
    const launch = {
      command: 'pi',
      args,
      cwd: base.workspaceDir,
      env: {
        ...baseAgentEnv(spec, base),
        PI_CODING_AGENT_DIR: piDir,
        // No update checks, telemetry or tool downloads at startup.
        PI_OFFLINE: '1',
        PI_TELEMETRY: '0',
        [PI_TOKEN_ENV]: gateway.token,
      },
      files: [
        { path: `${piDir}/models.json`, content: piModelsJson(gateway, model) },
        { path: extensionPath, content: piExtensionSource(bridgeConfig(spec, base)) },
      ],
    };
    return launchWithPromptOnStdin(launch, `${agentDir}/prompt.txt`, turn.prompt);
  },
  createParser: createPiParser,
};
