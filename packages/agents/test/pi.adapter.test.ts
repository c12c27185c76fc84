import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AGENTS } from '@garrison/core/agent-catalog';
import { MAX_EVENT_TEXT_BYTES } from '@garrison/core/runner-constants';
import { PI_MCP_BRIDGE_SOURCE } from '../src/pi-mcp-bridge.source.ts';
import { launchFixture } from './launch-fixtures.ts';
import { HOSTILE_LINES, HUGE_GARBAGE_LINE, ofType, parseFixture } from './parse-fixture.ts';

const { adapter, base: BASE, launch } = launchFixture('pi', 'mission0004');
const AGENT_DIR = '/workspace/.garrison/missions/mission0004/agent';
const EXTENSION = `${AGENT_DIR}/pi/garrison-mcp-bridge.ts`;

const fileOf = (files: { path: string; content: string }[] | undefined, path: string): string => files!.find((file) => file.path === path)!.content;

describe('pi adapter: launch', () => {
  it('runs `pi -p --mode json` on the garrison provider with the bridge extension and the prompt on stdin', () => {
    const { command, args, cwd, files } = launch({}, { prompt: '@src -v fix' });
    expect(cwd).toBe('/workspace');
    expect(command).toBe('/bin/sh');
    expect(args).toEqual([
      '-c', 'prompt=$1; shift; exec "$@" < "$prompt"', 'sh', `${AGENT_DIR}/prompt.txt`,
      'pi', '-p', '--mode', 'json', '--provider', 'garrison', '--model', AGENTS.pi.defaultModel, '-e', EXTENSION,
    ]);
    expect(fileOf(files, `${AGENT_DIR}/prompt.txt`)).toBe('@src -v fix');
  });

  it('resumes with --session; under ask and read-only it loads no repository extensions', () => {
    expect(launch({}, { resumeSessionId: '01a1fd36-9b1a-735f-8a70-25031a67bd03' }).args.slice(-2)).toEqual(['--session', '01a1fd36-9b1a-735f-8a70-25031a67bd03']);
    for (const policy of ['ask', 'read-only'] as const) expect(launch({ policy }).args).toContain('--no-extensions');
    expect(launch({ model: 'gpt-5-mini' }).args).toContain('gpt-5-mini');
  });

  it('keeps the agent dir under the mission and the token in the env only', () => {
    const { env, files } = launch();
    expect(env).toMatchObject({ PI_CODING_AGENT_DIR: `${AGENT_DIR}/pi`, PI_OFFLINE: '1', GARRISON_MODEL_TOKEN: 'gw-mission-token', HOME: '/home/agent', NODE_EXTRA_CA_CERTS: '/ca.crt' });
    for (const file of files!) expect(file.content).not.toContain('gw-mission-token');
    expect(JSON.parse(fileOf(files, `${AGENT_DIR}/pi/models.json`))).toEqual({
      providers: { garrison: { baseUrl: 'http://gateway:4000/v1', api: 'openai-completions', apiKey: 'GARRISON_MODEL_TOKEN', models: [{ id: AGENTS.pi.defaultModel }] } },
    });
    expect(() => launch({ gateway: undefined })).toThrow('no model gateway configured for this mission');
  });

  it('writes the bridge with this mission\'s MCP server, and the read-only built-ins under ask and read-only', () => {
    const auto = fileOf(launch().files, EXTENSION);
    expect(auto.startsWith(PI_MCP_BRIDGE_SOURCE)).toBe(true);
    expect(auto).toContain('startMcpBridge(pi, {"serverName":"garrison","command":"/usr/bin/node","args":["/opt/garrison/workspace-mcp.cjs"],"env":{"GARRISON_POLICY":"auto","GARRISON_WORKSPACE_DIR":"/workspace"}})');
    expect(fileOf(launch({ policy: 'read-only' }).files, EXTENSION)).toContain('"builtinTools":["read","grep","ls"]');
  });

  it('the written extension loads and bridges a real MCP server', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'h-adapters-pi-'));
    try {
      const base = { ...BASE, mcp: { command: process.execPath, args: [join(import.meta.dirname, 'fake-mcp-server.mjs')], env: {} } };
      const path = join(dir, 'garrison-mcp-bridge.ts');
      writeFileSync(path, fileOf(launch({ policy: 'ask' }, {}, base).files, EXTENSION));
      const extension = (await import(pathToFileURL(path).href)) as { default: (pi: unknown) => Promise<void> };
      const tools = new Map<string, { execute: (id: string, input: unknown) => Promise<unknown> }>();
      const handlers: Record<string, ((event: unknown) => unknown)[]> = {};
      let active: string[] = [];
      await extension.default({
        registerTool: (tool: { name: string; execute: (id: string, input: unknown) => Promise<unknown> }) => tools.set(tool.name, tool),
        on: (event: string, handler: (event: unknown) => unknown) => (handlers[event] ??= []).push(handler),
        getAllTools: () => ['read', 'bash', 'ls', ...tools.keys()].map((name) => ({ name })),
        setActiveTools: (names: string[]) => (active = names),
      });
      handlers.session_start!.forEach((handler) => handler({}));
      expect(active).toEqual(['read', 'ls', ...tools.keys()]);
      expect(await tools.get('garrison_echo')!.execute('c1', { text: 'hi' })).toEqual({ content: [{ type: 'text', text: 'echo: hi' }], details: {} });
      expect(Object.keys(handlers)).toEqual(expect.arrayContaining(['agent_end', 'session_shutdown', 'tool_call']));
      handlers.session_shutdown!.forEach((handler) => handler({}));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('pi adapter: parser over real output', () => {
  it('reads a turn that writes through the MCP: thinking, call, result, message, deltas, usage, session', () => {
    const parser = adapter.createParser!();
    const events = parseFixture(parser, 'pi', 'mcp-write-turn.jsonl');
    expect(events.filter((event) => event.type !== 'agent.delta').map((event) => event.type)).toEqual(['agent.thinking', 'tool.call', 'usage', 'tool.result', 'agent.message', 'usage']);
    expect(ofType(events, 'agent.thinking')).toEqual([{ text: 'The MCP tool writes files.' }]);
    expect(ofType(events, 'tool.call')).toEqual([{ callId: 'call_scripted_1_0', name: 'mcp__garrison__write_file', input: { path: 'pi-hello.txt', content: 'hi from pi\n' } }]);
    expect(ofType(events, 'tool.result')).toEqual([{ callId: 'call_scripted_1_0', output: 'wrote 11 bytes to pi-hello.txt', isError: false }]);
    expect(ofType(events, 'agent.message')).toEqual([{ text: 'I wrote pi-hello.txt.' }]);
    expect(ofType(events, 'agent.delta').map((delta) => delta.text).join('')).toBe('I wrote pi-hello.txt.');
    expect(ofType(events, 'usage')).toEqual([
      { inputTokens: 617, outputTokens: 29, cacheReadTokens: 0, model: 'gpt-5' },
      { inputTokens: 706, outputTokens: 6, cacheReadTokens: 0, model: 'gpt-5' },
    ]);
    expect(parser.sessionId).toBe('01a1fd36-9b1a-735f-8a70-25031a67bd03');
  });

  it('a resumed turn reports the same session', () => {
    const parser = adapter.createParser!();
    expect(ofType(parseFixture(parser, 'pi', 'resume-turn.jsonl'), 'agent.message')).toEqual([{ text: 'Still here, and I remember the file.' }]);
    expect(parser.sessionId).toBe('01a1fd36-9b1a-735f-8a70-25031a67bd03');
  });

  it('reads a tool pi does not offer and a refused MCP call as failed results', () => {
    const events = parseFixture(adapter.createParser!(), 'pi', 'read-only-turn.jsonl');
    expect(ofType(events, 'tool.call').map((call) => call.name)).toEqual(['bash', 'mcp__garrison__write_file', 'mcp__garrison__read_file']);
    expect(ofType(events, 'tool.result').map((result) => [result.isError, result.output])).toEqual([
      [true, 'Tool bash not found'],
      [true, expect.stringContaining('this mission is read-only')],
      [false, '     1\treadable\n     2\t'],
    ]);
  });

  it('reports a failed model call as an error, without a usage of zeros', () => {
    const events = parseFixture(adapter.createParser!(), 'pi', 'model-error-turn.jsonl');
    expect(events).toEqual([{ type: 'error', payload: { code: 'model_error', message: '400 budget exceeded for this mission' } }]);
  });

  it('counts cached input, a priced cost, retries and failed compactions', () => {
    const parser = adapter.createParser!();
    const message = { role: 'assistant', content: [], model: 'gpt-5', stopReason: 'stop', usage: { input: 100, output: 20, cacheRead: 400, cacheWrite: 5, cost: { total: 0.02 } } };
    expect(parser.parseLine(JSON.stringify({ type: 'message_end', message }))).toEqual([{ type: 'usage', payload: { inputTokens: 505, outputTokens: 20, cacheReadTokens: 400, costUsd: 0.02, model: 'gpt-5' } }]);
    expect(parser.parseLine(JSON.stringify({ type: 'auto_retry_start', attempt: 1, maxAttempts: 3, delayMs: 2000, errorMessage: '500 overloaded' }))).toEqual([
      { type: 'error', payload: { code: 'model_api_retry', message: 'attempt 1 of 3 in 2000 ms: 500 overloaded' } },
    ]);
    expect(parser.parseLine(JSON.stringify({ type: 'compaction_end', reason: 'overflow', aborted: false, willRetry: false, errorMessage: 'too long' }))).toEqual([
      { type: 'error', payload: { code: 'compaction_failed', message: 'too long' } },
    ]);
    expect(parser.parseLine(JSON.stringify({ type: 'message_end', message: { role: 'user', content: [{ type: 'text', text: 'hi' }] } }))).toEqual([]);
  });

  it('never throws on lines that are not its JSON, and keeps them as output', () => {
    const parser = adapter.createParser!();
    for (const line of HOSTILE_LINES) expect(() => parser.parseLine(line)).not.toThrow();
    expect(parser.parseLine('fd not found. Offline mode enabled, skipping download.')).toEqual([{ type: 'process.output', payload: { stream: 'stdout', text: 'fd not found. Offline mode enabled, skipping download.' } }]);
    expect(parser.parseLine('{"type":"message_end","message":{"role":"assistant","content":[{"type":"te')[0]!.type).toBe('process.output');
    expect(parser.parseLine('{"type":"message_end","message":{"role":"assistant","content":"not a list","usage":null}}')).toEqual([]);
    expect(parser.parseLine('{"type":"tool_execution_end","result":null}')).toEqual([{ type: 'tool.result', payload: { callId: '', output: '', isError: false } }]);
    const [huge] = parser.parseLine(HUGE_GARBAGE_LINE);
    expect(huge!.type).toBe('process.output');
    expect(Buffer.byteLength(String(huge!.payload.text))).toBeLessThanOrEqual(MAX_EVENT_TEXT_BYTES);
    expect(parser.sessionId).toBeUndefined();
  });

  it('caps a 10 MB tool output and says it was cut', () => {
    const line = JSON.stringify({ type: 'tool_execution_end', toolCallId: 'c1', toolName: 'bash', result: { content: [{ type: 'text', text: 'z'.repeat(10 * 1024 * 1024) }] }, isError: false });
    const [result] = adapter.createParser!().parseLine(line);
    expect(result!.payload).toMatchObject({ callId: 'c1', isError: false, truncated: true });
    expect(Buffer.byteLength(String(result!.payload.output))).toBe(MAX_EVENT_TEXT_BYTES);
  });
});
