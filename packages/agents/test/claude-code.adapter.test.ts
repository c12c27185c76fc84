import { describe, expect, it } from 'vitest';
import { MAX_EVENT_TEXT_BYTES } from '@garrison/core/runner-constants';
import { launchFixture } from './launch-fixtures.ts';
import { HOSTILE_LINES, HUGE_GARBAGE_LINE, ofType, parseFixture } from './parse-fixture.ts';

const { adapter, base: BASE, launch } = launchFixture('claude-code', 'mission0001');

function flag(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index === -1 ? undefined : args[index + 1];
}

describe('claude-code adapter: launch', () => {
  it('runs print mode with stream-json, our MCP config only, and the prompt after --', () => {
    const { command, args, cwd } = launch();
    expect(command).toBe('claude');
    expect(cwd).toBe('/workspace');
    expect(args.slice(0, 5)).toEqual(['-p', '--output-format', 'stream-json', '--verbose', '--include-partial-messages']);
    expect(args).toEqual(expect.arrayContaining(['--strict-mcp-config']));
    expect(flag(args, '--mcp-config')).toBe('/workspace/.garrison/missions/mission0001/agent/claude-mcp.json');
    expect(flag(args, '--setting-sources')).toBe('user');
    expect(flag(args, '--model')).toBe('claude-sonnet-4-5');
    expect(args.slice(-2)).toEqual(['--', 'Fix the tests']);
    expect(launch({}, { prompt: '--help' }).args.slice(-2)).toEqual(['--', '--help']);
    expect(flag(launch({ model: 'claude-opus-4-1' }).args, '--model')).toBe('claude-opus-4-1');
  });

  it('talks to the gateway with the mission token only, and keeps its state under the mission', () => {
    const { env } = launch();
    expect(env).toMatchObject({
      ANTHROPIC_BASE_URL: 'http://gateway:4000',
      ANTHROPIC_API_KEY: 'gw-mission-token',
      CLAUDE_CONFIG_DIR: '/workspace/.garrison/missions/mission0001/agent/claude',
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      DISABLE_AUTOUPDATER: '1',
      MCP_TOOL_TIMEOUT: String(24 * 60 * 60 * 1000),
      NODE_EXTRA_CA_CERTS: '/ca.crt',
      HOME: '/home/agent',
    });
    expect(() => launch({ gateway: undefined })).toThrow('no model gateway configured for this mission');
  });

  it('registers the workspace MCP server as garrison, always loaded, with its env', () => {
    const [file] = launch().files!;
    expect(file!.path).toBe('/workspace/.garrison/missions/mission0001/agent/claude-mcp.json');
    expect(file!.content).not.toContain('gw-mission-token');
    expect(JSON.parse(file!.content)).toEqual({
      mcpServers: {
        garrison: { type: 'stdio', command: '/usr/bin/node', args: ['/opt/garrison/workspace-mcp.cjs'], env: BASE.mcp.env, alwaysLoad: true },
      },
    });
  });

  it('resumes the given session and starts fresh without one', () => {
    expect(flag(launch({}, { resumeSessionId: '5e6f0c1e-0000-4000-8000-000000000001' }).args, '--resume')).toBe('5e6f0c1e-0000-4000-8000-000000000001');
    expect(launch().args).not.toContain('--resume');
  });

  it('maps each policy to permission flags', () => {
    expect(flag(launch({ policy: 'auto' }).args, '--permission-mode')).toBe('bypassPermissions');

    const ask = launch({ policy: 'ask' }).args;
    expect(flag(ask, '--permission-mode')).toBe('default');
    expect(flag(ask, '--permission-prompt-tool')).toBe('mcp__garrison__approval_prompt');
    expect(flag(ask, '--allowedTools')!.split(',')).toEqual(expect.arrayContaining(['Read', 'Grep', 'mcp__garrison']));
    expect(flag(ask, '--allowedTools')!.split(',')).not.toEqual(expect.arrayContaining(['Bash']));
    expect(flag(ask, '--disallowedTools')).toBe('AskUserQuestion');

    const readOnly = launch({ policy: 'read-only' }).args;
    expect(flag(readOnly, '--permission-mode')).toBe('dontAsk');
    const offered = flag(readOnly, '--tools')!.split(',');
    for (const mutating of ['Bash', 'Write', 'Edit', 'NotebookEdit']) expect(offered).not.toContain(mutating);
    expect(flag(readOnly, '--allowedTools')!.split(',')).toContain('mcp__garrison');
    expect(readOnly).not.toContain('--permission-prompt-tool');
  });
});

describe('claude-code adapter: parser over real output', () => {
  it('reads a turn that writes through the MCP: call, result, message, usage, session', () => {
    const parser = adapter.createParser!();
    const events = parseFixture(parser, 'claude-code', 'mcp-write-turn.jsonl');
    const order = events.filter((event) => event.type !== 'agent.delta').map((event) => event.type);
    expect(order).toEqual(['tool.call', 'tool.result', 'agent.message', 'usage']);
    const [call] = ofType(events, 'tool.call');
    expect(call).toEqual({ callId: 'toolu_scripted_1_0', name: 'mcp__garrison__write_file', input: { path: 'claude-hello.txt', content: 'hi from claude\n' } });
    expect(ofType(events, 'tool.result')).toEqual([{ callId: 'toolu_scripted_1_0', output: 'wrote 15 bytes to claude-hello.txt', isError: false }]);
    expect(ofType(events, 'agent.message')).toEqual([{ text: 'I wrote claude-hello.txt.' }]);
    // Deltas stream the same text once more, for live display only.
    expect(ofType(events, 'agent.delta').map((payload) => payload.text).join('')).toBe('I wrote claude-hello.txt.');
    expect(ofType(events, 'usage')).toEqual([{ inputTokens: 5516, outputTokens: 33, cacheReadTokens: 0, costUsd: 0.017042999999999996, model: 'claude-sonnet-4-5' }]);
    expect(parser.sessionId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('a resumed turn reports this run\'s cost, not the whole session\'s', () => {
    const parser = adapter.createParser!();
    const events = parseFixture(parser, 'claude-code', 'resume-turn.jsonl');
    expect(ofType(events, 'agent.message')).toEqual([{ text: 'Still here, and I remember the file.' }]);
    expect(ofType(events, 'usage')).toEqual([{ inputTokens: 2882, outputTokens: 10, cacheReadTokens: 0, costUsd: 0.008796000000000002, model: 'claude-sonnet-4-5' }]);
    expect(parser.sessionId).toBeDefined();
  });

  it('reads thinking as agent.thinking, before the message', () => {
    const events = parseFixture(adapter.createParser!(), 'claude-code', 'thinking-turn.jsonl');
    expect(events.filter((event) => event.type === 'agent.thinking' || event.type === 'agent.message')).toEqual([
      { type: 'agent.thinking', payload: { text: 'Let me think about it.' } },
      { type: 'agent.message', payload: { text: 'Thought done.' } },
    ]);
  });

  it('reports a model API error once, never as the agent\'s message', () => {
    const events = parseFixture(adapter.createParser!(), 'claude-code', 'api-error-turn.jsonl');
    expect(ofType(events, 'agent.message')).toEqual([]);
    expect(ofType(events, 'error')).toEqual([{ code: 'invalid_request_error', message: expect.stringContaining('Prompt is too long') }]);
  });

  it('says when the CLI retries the model API, then reports the failure once', () => {
    const errors = ofType(parseFixture(adapter.createParser!(), 'claude-code', 'api-retry-turn.jsonl'), 'error');
    expect(errors).toEqual([
      { code: 'model_api_retry', message: expect.stringContaining('401') },
      { code: 'api_error', message: expect.stringContaining('API Error: 500') },
    ]);
  });

  it('marks tools the session does not allow as failed results', () => {
    const results = ofType(parseFixture(adapter.createParser!(), 'claude-code', 'denied-tools-turn.jsonl'), 'tool.result');
    expect(results.map((result) => result.isError)).toEqual([true, true, false]);
    expect(results[0]!.output).toContain('Bash');
  });

  it('never throws on lines that are not its JSON, and keeps them as output', () => {
    const parser = adapter.createParser!();
    for (const line of HOSTILE_LINES) expect(() => parser.parseLine(line)).not.toThrow();
    expect(parser.parseLine('Loading configuration...')).toEqual([{ type: 'process.output', payload: { stream: 'stdout', text: 'Loading configuration...' } }]);
    expect(parser.parseLine('{"type":"assistant","message":{"content":[{"type":"text","text":"cut')[0]!.type).toBe('process.output');
    expect(parser.parseLine('')).toEqual([]);
    const [huge] = parser.parseLine(HUGE_GARBAGE_LINE);
    expect(huge!.type).toBe('process.output');
    expect(Buffer.byteLength(String(huge!.payload.text))).toBeLessThanOrEqual(MAX_EVENT_TEXT_BYTES);
  });

  it('caps a 10 MB tool result and says it was cut', () => {
    const line = JSON.stringify({ type: 'user', message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'y'.repeat(10 * 1024 * 1024) }] } });
    const [result] = adapter.createParser!().parseLine(line);
    expect(result).toMatchObject({ type: 'tool.result', payload: { callId: 't1', isError: false, truncated: true } });
    expect(Buffer.byteLength(String(result!.payload.output))).toBe(MAX_EVENT_TEXT_BYTES);
  });
});
