import { describe, expect, it } from 'vitest';
import { AGENTS } from '@garrison/core/agent-catalog';
import { MAX_EVENT_TEXT_BYTES, type RunnerSpec } from '@garrison/core/runner-constants';
import { launchFixture } from './launch-fixtures.ts';
import { HOSTILE_LINES, HUGE_GARBAGE_LINE, ofType, parseFixture } from './parse-fixture.ts';

const { adapter, base: BASE, launch } = launchFixture('opencode', 'mission0003');
const AGENT_DIR = '/workspace/.garrison/missions/mission0003/agent';

function configOf(spec: Partial<RunnerSpec> = {}): Record<string, any> {
  return JSON.parse(launch(spec).env.OPENCODE_CONFIG_CONTENT!);
}

describe('opencode adapter: launch', () => {
  it('runs `opencode run --format json` with the prompt on stdin, titled so no title call is made', () => {
    const { command, args, cwd, files } = launch({}, { prompt: '-x "quoted" 0123' });
    expect(cwd).toBe('/workspace');
    expect(command).toBe('/bin/sh');
    expect(args).toEqual([
      '-c', 'prompt=$1; shift; exec "$@" < "$prompt"', 'sh', `${AGENT_DIR}/prompt.txt`,
      'opencode', 'run', '--format', 'json', '--thinking', '--title', 'Garrison mission mission0003',
    ]);
    expect(files).toContainEqual({ path: `${AGENT_DIR}/prompt.txt`, content: '-x "quoted" 0123' });
  });

  it('resumes with --session and keeps every XDG dir under the mission', () => {
    const { args, env } = launch({}, { resumeSessionId: 'ses_e02c9fcafffe6KH0855FCFVnqD' });
    expect(args.slice(5)).toEqual(['run', '--format', 'json', '--thinking', '--session', 'ses_e02c9fcafffe6KH0855FCFVnqD']);
    expect(env).toMatchObject({
      XDG_CONFIG_HOME: `${AGENT_DIR}/config`,
      XDG_DATA_HOME: `${AGENT_DIR}/data`,
      XDG_STATE_HOME: `${AGENT_DIR}/state`,
      XDG_CACHE_HOME: `${AGENT_DIR}/cache`,
      OPENCODE_DISABLE_MODELS_FETCH: '1',
      OPENCODE_DISABLE_AUTOUPDATE: '1',
      HOME: '/home/agent',
      NODE_EXTRA_CA_CERTS: '/ca.crt',
    });
  });

  it('points the only provider at the gateway with the mission token, and no file holds the token', () => {
    const config = configOf({ model: 'gpt-5-mini' });
    expect(config).toMatchObject({
      autoupdate: false,
      share: 'disabled',
      enabled_providers: ['garrison'],
      model: 'garrison/gpt-5-mini',
      provider: { garrison: { npm: '@ai-sdk/openai-compatible', options: { baseURL: 'http://gateway:4000/v1', apiKey: 'gw-mission-token' }, models: { 'gpt-5-mini': { name: 'gpt-5-mini' } } } },
    });
    expect(configOf().model).toBe(`garrison/${AGENTS.opencode.defaultModel}`);
    for (const file of launch().files!) expect(file.content).not.toContain('gw-mission-token');
    expect(() => launch({ gateway: undefined })).toThrow('no model gateway configured for this mission');
  });

  it('registers the workspace MCP with its env and a day-long request timeout', () => {
    expect(configOf().mcp).toEqual({
      garrison: { type: 'local', command: ['/usr/bin/node', '/opt/garrison/workspace-mcp.cjs'], environment: BASE.mcp.env, enabled: true, timeout: 86_400_000 },
    });
  });

  it('seeds the config dir so OpenCode does not download its plugin package per mission', () => {
    const paths = launch().files!.map((file) => file.path);
    expect(paths).toEqual(expect.arrayContaining([`${AGENT_DIR}/config/opencode/package.json`, `${AGENT_DIR}/config/opencode/package-lock.json`, `${AGENT_DIR}/config/opencode/node_modules/.garrison-seeded`]));
    const lock = JSON.parse(launch().files!.find((file) => file.path.endsWith('package-lock.json'))!.content);
    expect(lock.packages[''].dependencies).toEqual({ '@opencode-ai/plugin': '1.18.33' });
  });

  it('maps each policy: auto allows its own tools, ask and read-only deny all but looking and the MCP', () => {
    expect(configOf({ policy: 'auto' }).permission).toMatchObject({ edit: 'allow', bash: 'allow' });
    for (const policy of ['ask', 'read-only'] as const) {
      const permission = configOf({ policy }).permission;
      expect(Object.keys(permission)[0]).toBe('*');
      expect(permission).toMatchObject({ '*': 'deny', read: 'allow', grep: 'allow', glob: 'allow', 'garrison_*': 'allow' });
      // Not listed, so denied by '*': OpenCode's own edit/write/patch, bash and subagents.
      for (const changing of ['edit', 'bash', 'task']) expect(permission).not.toHaveProperty(changing);
    }
  });
});

describe('opencode adapter: parser over real output', () => {
  it('reads a turn that writes through the MCP: thinking, call, result, message, usage, session', () => {
    const parser = adapter.createParser!();
    const events = parseFixture(parser, 'opencode', 'mcp-write-turn.jsonl');
    expect(events.map((event) => event.type)).toEqual(['agent.thinking', 'tool.call', 'tool.result', 'usage', 'agent.message', 'usage']);
    expect(ofType(events, 'agent.thinking')).toEqual([{ text: 'The MCP tool writes files.' }]);
    expect(ofType(events, 'tool.call')).toEqual([{ callId: 'call_scripted_1_0', name: 'mcp__garrison__write_file', input: { path: 'opencode-hello.txt', content: 'hi from opencode\n' } }]);
    expect(ofType(events, 'tool.result')).toEqual([{ callId: 'call_scripted_1_0', output: 'wrote 17 bytes to opencode-hello.txt', isError: false }]);
    expect(ofType(events, 'agent.message')).toEqual([{ text: 'I wrote opencode-hello.txt.' }]);
    expect(ofType(events, 'usage')).toEqual([{ inputTokens: 2635, outputTokens: 32, cacheReadTokens: 0 }, { inputTokens: 2728, outputTokens: 8, cacheReadTokens: 0 }]);
    expect(parser.sessionId).toBe('ses_e02c9fcafffe6KH0855FCFVnqD');
  });

  it('a resumed turn reports the same session', () => {
    const parser = adapter.createParser!();
    expect(ofType(parseFixture(parser, 'opencode', 'resume-turn.jsonl'), 'agent.message')).toEqual([{ text: 'Still here, and I remember the file.' }]);
    expect(parser.sessionId).toBe('ses_e02c9fcafffe6KH0855FCFVnqD');
  });

  it('reads an unavailable tool and a refused MCP call as results, the refusal as an error', () => {
    const events = parseFixture(adapter.createParser!(), 'opencode', 'read-only-turn.jsonl');
    expect(ofType(events, 'tool.call').map((call) => call.name)).toEqual(['invalid', 'mcp__garrison__write_file', 'mcp__garrison__read_file']);
    const results = ofType(events, 'tool.result');
    expect(results.map((result) => result.isError)).toEqual([false, true, false]);
    expect(results[0]!.output).toContain("unavailable tool 'bash'");
    expect(results[1]!.output).toContain('this mission is read-only');
  });

  it('reports a provider error in its own words, without the response headers', () => {
    const events = parseFixture(adapter.createParser!(), 'opencode', 'model-error-turn.jsonl');
    expect(events).toEqual([{ type: 'error', payload: { code: 'APIError', message: 'budget exceeded for this mission' } }]);
  });

  it('counts cached input and reasoning output, and a cost when OpenCode has a price', () => {
    const line = JSON.stringify({ type: 'step_finish', sessionID: 'ses_1', part: { type: 'step-finish', tokens: { input: 100, output: 20, reasoning: 30, cache: { read: 400, write: 5 } }, cost: 0.0123 } });
    expect(adapter.createParser!().parseLine(line)).toEqual([{ type: 'usage', payload: { inputTokens: 505, outputTokens: 50, cacheReadTokens: 400, costUsd: 0.0123 } }]);
  });

  it('never throws on lines that are not its JSON, and keeps them as output', () => {
    const parser = adapter.createParser!();
    for (const line of HOSTILE_LINES) expect(() => parser.parseLine(line)).not.toThrow();
    expect(parser.parseLine('Performing one time database migration...')).toEqual([{ type: 'process.output', payload: { stream: 'stdout', text: 'Performing one time database migration...' } }]);
    expect(parser.parseLine('{"type":"tool_use","sessionID":"ses_1","part":{"tool":"garr')[0]!.type).toBe('process.output');
    expect(parser.parseLine('{"type":"tool_use","part":null}')).toEqual([{ type: 'tool.call', payload: { callId: '', name: '', input: {} } }]);
    expect(parser.parseLine('{"type":"error","error":"plain words"}')).toEqual([{ type: 'error', payload: { code: 'agent_error', message: 'plain words' } }]);
    const [huge] = parser.parseLine(HUGE_GARBAGE_LINE);
    expect(huge!.type).toBe('process.output');
    expect(Buffer.byteLength(String(huge!.payload.text))).toBeLessThanOrEqual(MAX_EVENT_TEXT_BYTES);
    expect(parser.sessionId).toBeUndefined();
  });

  it('caps a 10 MB tool output and says it was cut', () => {
    const line = JSON.stringify({ type: 'tool_use', sessionID: 'ses_1', part: { type: 'tool', tool: 'bash', callID: 'c1', state: { status: 'completed', input: { command: 'cat big' }, output: 'z'.repeat(10 * 1024 * 1024) } } });
    const result = adapter.createParser!().parseLine(line).find((event) => event.type === 'tool.result');
    expect(result!.payload).toMatchObject({ callId: 'c1', isError: false, truncated: true });
    expect(Buffer.byteLength(String(result!.payload.output))).toBe(MAX_EVENT_TEXT_BYTES);
  });
});
