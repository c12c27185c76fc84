import { describe, expect, it } from 'vitest';
import { MAX_EVENT_TEXT_BYTES, type RunnerSpec } from '@garrison/core/runner-constants';
import type { LaunchBase } from '../src/index.ts';
import { launchFixture } from './launch-fixtures.ts';
import { HOSTILE_LINES, HUGE_GARBAGE_LINE, ofType, parseFixture } from './parse-fixture.ts';

const { adapter, base: BASE, launch } = launchFixture('codex', 'mission0002');
const CODEX_HOME = '/workspace/.garrison/missions/mission0002/agent/codex';

function configOf(spec: Partial<RunnerSpec> = {}, base: LaunchBase = BASE): string {
  const file = launch(spec, {}, base).files!.find((entry) => entry.path === `${CODEX_HOME}/config.toml`);
  return file!.content;
}

describe('codex adapter: launch', () => {
  it('runs exec --json with stdin-free flags and the prompt after --', () => {
    const { command, args, cwd } = launch();
    expect(command).toBe('codex');
    expect(cwd).toBe('/workspace');
    expect(args).toEqual(['exec', '--json', '--skip-git-repo-check', '-c', 'analytics.enabled=false', '-c', 'features.plugins=false', '--', 'Fix the tests']);
    expect(args).not.toContain('--ephemeral');
  });

  it('resumes with exec resume <id> <prompt>', () => {
    const { args } = launch({}, { prompt: '-v again', resumeSessionId: '01a1fd2f-30f6-7933-bf77-d8dcfb47e389' });
    expect(args).toEqual(['exec', 'resume', '--json', '--skip-git-repo-check', '-c', 'analytics.enabled=false', '-c', 'features.plugins=false', '--', '01a1fd2f-30f6-7933-bf77-d8dcfb47e389', '-v again']);
  });

  it('keeps CODEX_HOME under the mission and hands the token only through env_key', () => {
    const { env, files } = launch();
    expect(env).toMatchObject({ CODEX_HOME, GARRISON_MODEL_TOKEN: 'gw-mission-token', NODE_EXTRA_CA_CERTS: '/ca.crt', HOME: '/home/agent' });
    expect(files!.map((file) => file.path)).toEqual([`${CODEX_HOME}/config.toml`]);
    expect(files![0]!.content).not.toContain('gw-mission-token');
    expect(() => launch({ gateway: undefined })).toThrow('no model gateway configured for this mission');
  });

  it('points the garrison provider at the gateway over the Responses API', () => {
    const config = configOf();
    expect(config).toContain('model = "gpt-5.3-codex"\nmodel_provider = "garrison"\n');
    expect(config).toContain('[model_providers.garrison]\nname = "Garrison model gateway"\nbase_url = "http://gateway:4000/v1"\nwire_api = "responses"\nenv_key = "GARRISON_MODEL_TOKEN"\n');
    expect(configOf({ model: 'gpt-5-mini' })).toContain('model = "gpt-5-mini"\n');
  });

  it('registers the workspace MCP with its env, a day-long tool timeout and its tools pre-approved', () => {
    const config = configOf();
    expect(config).toContain([
      '[mcp_servers.garrison]',
      'command = "/usr/bin/node"',
      'args = ["/opt/garrison/workspace-mcp.cjs"]',
      'env = { "GARRISON_POLICY" = "auto", "GARRISON_WORKSPACE_DIR" = "/workspace" }',
      'startup_timeout_sec = 30',
      'tool_timeout_sec = 86400',
      'default_tools_approval_mode = "approve"',
    ].join('\n'));
  });

  it('writes values as TOML strings, escapes and all', () => {
    const tricky = { ...BASE, mcp: { ...BASE.mcp, env: { 'ODD KEY': 'a "quoted" \\ value\nnext\u007f' } } };
    expect(configOf({}, tricky)).toContain('env = { "ODD KEY" = "a \\"quoted\\" \\\\ value\\nnext\\u007f" }');
  });

  it('maps each policy: auto runs free, ask and read-only lose the shell under a read-only sandbox', () => {
    const auto = configOf({ policy: 'auto' });
    expect(auto).toContain('approval_policy = "never"\nsandbox_mode = "danger-full-access"\n');
    expect(auto).not.toContain('shell_tool');
    for (const policy of ['ask', 'read-only'] as const) {
      expect(configOf({ policy })).toContain('approval_policy = "never"\nsandbox_mode = "read-only"\n\n[features]\nshell_tool = false\n');
    }
  });
});

describe('codex adapter: parser over real output', () => {
  it('reads a turn that writes through the MCP: call, result, message, usage, session', () => {
    const parser = adapter.createParser!();
    const events = parseFixture(parser, 'codex', 'mcp-write-turn.jsonl');
    // Codex warns it has no metadata for the model name and goes on.
    expect(events.map((event) => event.type)).toEqual(['error', 'tool.call', 'tool.result', 'agent.message', 'usage']);
    expect(ofType(events, 'error')).toEqual([{ code: 'agent_warning', message: expect.stringContaining('Model metadata') }]);
    expect(ofType(events, 'tool.call')).toEqual([{ callId: 'item_1', name: 'mcp__garrison__write_file', input: { path: 'codex-hello.txt', content: 'hi from codex\n' } }]);
    expect(ofType(events, 'tool.result')).toEqual([{ callId: 'item_1', output: 'wrote 14 bytes to codex-hello.txt', isError: false }]);
    expect(ofType(events, 'agent.message')).toEqual([{ text: 'I wrote codex-hello.txt.' }]);
    expect(ofType(events, 'usage')).toEqual([{ inputTokens: 10449, outputTokens: 36, cacheReadTokens: 0 }]);
    expect(parser.sessionId).toBe('01a1fd34-5bd1-79a2-83cd-fb61f68afd14');
  });

  it('a resumed turn reports the same thread', () => {
    const parser = adapter.createParser!();
    const events = parseFixture(parser, 'codex', 'resume-turn.jsonl');
    expect(ofType(events, 'agent.message')).toEqual([{ text: 'Still here, and I remember the file.' }]);
    expect(parser.sessionId).toBe('01a1fd34-5bd1-79a2-83cd-fb61f68afd14');
  });

  it('reads shell commands as tool calls and reasoning as agent.thinking', () => {
    const shell = parseFixture(adapter.createParser!(), 'codex', 'shell-turn.jsonl');
    expect(ofType(shell, 'tool.call')).toEqual([{ callId: 'item_1', name: 'shell', input: { command: "/bin/bash -lc 'echo full > /workspace/full.txt; id -u'" } }]);
    expect(ofType(shell, 'tool.result')).toEqual([{ callId: 'item_1', output: '1000\n', isError: false }]);
    const thinking = parseFixture(adapter.createParser!(), 'codex', 'thinking-turn.jsonl');
    expect(thinking.filter((event) => event.type === 'agent.thinking' || event.type === 'agent.message')).toEqual([
      { type: 'agent.thinking', payload: { text: 'Pondering the request.' } },
      { type: 'agent.message', payload: { text: 'Answer after thought.' } },
    ]);
  });

  it('marks a refused MCP call as a failed result with the reason', () => {
    const [result] = ofType(parseFixture(adapter.createParser!(), 'codex', 'mcp-refused-turn.jsonl'), 'tool.result');
    expect(result).toEqual({ callId: 'item_1', output: expect.stringContaining('requires approval'), isError: true });
  });

  it('reports a provider error once, in the provider\'s words', () => {
    const errors = ofType(parseFixture(adapter.createParser!(), 'codex', 'api-error-turn.jsonl'), 'error').slice(1);
    expect(errors).toEqual([{ code: 'invalid_request_error', message: 'scripted bad request' }]);
  });

  it('says when Codex retries the model API, then reports the failure once', () => {
    const errors = ofType(parseFixture(adapter.createParser!(), 'codex', 'api-retry-turn.jsonl'), 'error').slice(1);
    expect(errors.map((error) => error.code)).toEqual(['model_api_retry', 'model_api_retry', 'model_api_retry', 'model_api_retry', 'model_api_retry', 'agent_error']);
  });

  it('emits the call first when an item completes without having started', () => {
    const parser = adapter.createParser!();
    const events = parser.parseLine(JSON.stringify({ type: 'item.completed', item: { id: 'item_9', type: 'file_change', changes: [{ path: 'a.ts', kind: 'update' }], status: 'completed' } }));
    expect(events).toEqual([
      { type: 'tool.call', payload: { callId: 'item_9', name: 'apply_patch', input: { changes: [{ path: 'a.ts', kind: 'update' }] } } },
      { type: 'tool.result', payload: { callId: 'item_9', output: 'update a.ts', isError: false } },
    ]);
  });

  it('never throws on lines that are not its JSON, and keeps them as output', () => {
    const parser = adapter.createParser!();
    for (const line of HOSTILE_LINES) expect(() => parser.parseLine(line)).not.toThrow();
    expect(parser.parseLine('Reading additional input from stdin...')).toEqual([{ type: 'process.output', payload: { stream: 'stdout', text: 'Reading additional input from stdin...' } }]);
    expect(parser.parseLine('{"type":"item.completed","item":{"id":"item_1","type":"agent_mess')[0]!.type).toBe('process.output');
    const [huge] = parser.parseLine(HUGE_GARBAGE_LINE);
    expect(huge!.type).toBe('process.output');
    expect(Buffer.byteLength(String(huge!.payload.text))).toBeLessThanOrEqual(MAX_EVENT_TEXT_BYTES);
  });

  it('caps a 10 MB command output and says it was cut', () => {
    const line = JSON.stringify({ type: 'item.completed', item: { id: 'item_3', type: 'command_execution', command: 'cat big', aggregated_output: 'z'.repeat(10 * 1024 * 1024), exit_code: 0, status: 'completed' } });
    const result = adapter.createParser!().parseLine(line).find((event) => event.type === 'tool.result');
    expect(result!.payload).toMatchObject({ callId: 'item_3', isError: false, truncated: true });
    expect(Buffer.byteLength(String(result!.payload.output))).toBe(MAX_EVENT_TEXT_BYTES);
  });
});
