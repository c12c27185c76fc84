import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WATCHDOG, type RunnerPolicy, type RunnerSpec } from '@garrison/core/runner-constants';
import { startScriptedModelServer, type ScriptedModelServer, type ScriptedToolCall } from '@garrison/testkit';
import { findAgentAdapter } from '../src/index.ts';
import { answerApproval, bridgeGateway, createVolume, eventTrail, explain, inVolume, launchBase, removeVolume, runTurnInContainer, waitForApproval, type TurnRun } from './container-launch.ts';

const adapter = findAgentAdapter('codex')!;
let model: ScriptedModelServer;
let volume: string;
let gateway: string;

beforeAll(async () => {
  model = await startScriptedModelServer({ host: '0.0.0.0' });
  volume = await createVolume();
  gateway = await bridgeGateway();
});

afterAll(async () => {
  await model?.close();
  if (volume) await removeVolume(volume);
});

function missionSpec(policy: RunnerPolicy): RunnerSpec {
  return {
    missionId: `hadapters${randomBytes(6).toString('hex')}`,
    agent: 'codex',
    prompt: 'unused: turns carry the prompt',
    startSeq: 1,
    attempt: 1,
    policy,
    watchdog: DEFAULT_WATCHDOG,
    gateway: { anthropicBaseUrl: `http://${gateway}:${model.port}`, openaiBaseUrl: `http://${gateway}:${model.port}/v1`, token: 'test-mission-token' },
  };
}

/** Codex offers the MCP server's tools in a namespace and runs a call only when it names it. */
function garrisonTool(name: string, input: Record<string, unknown>): ScriptedToolCall {
  return { name, namespace: 'mcp__garrison', input };
}

/** `GARRISON_RECORD_FIXTURES=1` refreshes the parser's fixtures from these real runs. */
function record(name: string, turn: TurnRun): void {
  if (!process.env.GARRISON_RECORD_FIXTURES) return;
  const dir = join(import.meta.dirname, 'fixtures', 'codex');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), `${turn.lines.join('\n')}\n`);
}

/** The Responses request bodies sent since `from`. */
function bodiesSince(from: number): { input: unknown[]; tools: { name?: string; type: string }[] }[] {
  return model.requests.slice(from).filter((request) => request.path === '/v1/responses').map((request) => request.body as { input: unknown[]; tools: { name?: string; type: string }[] });
}

describe('Codex adapter in a workspace container', () => {
  it('calls the workspace MCP, reports the session, and a follow-up resumes it', async () => {
    const spec = missionSpec('auto');
    const base = launchBase(spec.missionId, spec.policy);
    // Codex must accept the quoting of our config.toml, whatever the values hold.
    base.mcp.env.GARRISON_TEST_QUOTING = 'a "quoted" \\ value\nnext line';
    model.script({ toolCalls: [garrisonTool('write_file', { path: 'codex-hello.txt', content: 'hi from codex\n' })] }, { text: 'I wrote codex-hello.txt.' });
    const first = await runTurnInContainer(adapter, adapter.buildLaunch(spec, { number: 1, prompt: 'Write codex-hello.txt' }, base), volume);
    record('mcp-write-turn.jsonl', first);
    expect(first.exitCode, explain(first)).toBe(0);
    console.info(`codex: first agent.message ${first.firstMessageMs} ms after spawn`);

    expect(await inVolume(volume, 'cat /workspace/codex-hello.txt')).toBe('hi from codex\n');
    const trail = eventTrail(first.events);
    const call = trail.indexOf('tool.call:mcp__garrison__write_file');
    expect(call, trail.join(' ')).toBeGreaterThanOrEqual(0);
    expect(trail.indexOf('tool.result')).toBeGreaterThan(call);
    expect(trail.lastIndexOf('agent.message')).toBeGreaterThan(trail.indexOf('tool.result'));
    const callEvent = first.events.find((event) => event.type === 'tool.call')!;
    expect(callEvent.payload.input).toEqual({ path: 'codex-hello.txt', content: 'hi from codex\n' });
    expect(first.events.find((event) => event.type === 'tool.result')!.payload).toMatchObject({ callId: callEvent.payload.callId, isError: false, output: expect.stringContaining('wrote') });
    expect(first.events.filter((event) => event.type === 'agent.message').map((event) => event.payload.text)).toEqual(['I wrote codex-hello.txt.']);
    expect(first.events.find((event) => event.type === 'usage')!.payload).toMatchObject({ inputTokens: expect.any(Number), outputTokens: expect.any(Number) });
    expect(first.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.lines.join('\n')).not.toContain('test-mission-token');

    const before = model.requests.length;
    model.script({ text: 'Still here, and I remember the file.' });
    const second = await runTurnInContainer(adapter, adapter.buildLaunch(spec, { number: 2, prompt: 'Anything else?', resumeSessionId: first.sessionId }, base), volume);
    record('resume-turn.jsonl', second);
    expect(second.exitCode, explain(second)).toBe(0);
    expect(second.sessionId).toBe(first.sessionId);
    expect(second.events.filter((event) => event.type === 'agent.message').map((event) => event.payload.text)).toEqual(['Still here, and I remember the file.']);
    const resumed = JSON.stringify(bodiesSince(before)[0]!.input);
    expect(resumed).toContain('codex-hello.txt');
    expect(resumed).toContain('I wrote codex-hello.txt.');
    expect(resumed).toContain('Anything else?');
  });

  it('read-only: Codex offers no shell of its own and the workspace MCP refuses writes', async () => {
    const spec = missionSpec('read-only');
    await inVolume(volume, 'echo "readable" > /workspace/codex-ro-source.txt');
    model.script(
      { toolCalls: [{ name: 'exec_command', input: { cmd: 'echo nope > /workspace/codex-ro-shell.txt' } }] },
      { toolCalls: [garrisonTool('write_file', { path: 'codex-ro-mcp.txt', content: 'nope\n' })] },
      { toolCalls: [garrisonTool('read_file', { path: 'codex-ro-source.txt' })] },
      { text: 'Looked only.' },
    );
    const before = model.requests.length;
    const turn = await runTurnInContainer(adapter, adapter.buildLaunch(spec, { number: 1, prompt: 'Look around' }, launchBase(spec.missionId, spec.policy)), volume);
    expect(turn.exitCode, explain(turn)).toBe(0);

    const [body] = bodiesSince(before);
    const tools = body!.tools.map((tool) => tool.name);
    expect(tools).toContain('mcp__garrison');
    expect(tools).not.toContain('exec_command');
    // The call of a tool that is not offered comes back to the model as an error output.
    expect(JSON.stringify(bodiesSince(before)[1]!.input)).toContain('unsupported call: exec_command');
    const results = turn.events.filter((event) => event.type === 'tool.result').map((event) => event.payload);
    expect(results[0]).toMatchObject({ isError: true });
    expect(results[1]).toMatchObject({ isError: false, output: expect.stringContaining('readable') });
    expect(await inVolume(volume, 'ls /workspace')).not.toMatch(/codex-ro-(shell|mcp)\.txt/);
  });

  it('ask: a write through the workspace MCP waits for a person', async () => {
    const spec = missionSpec('ask');
    const base = launchBase(spec.missionId, spec.policy);
    model.script({ toolCalls: [garrisonTool('write_file', { path: 'codex-ask.txt', content: 'approved\n' })] }, { text: 'Done after approval.' });
    const turn = runTurnInContainer(adapter, adapter.buildLaunch(spec, { number: 1, prompt: 'Write codex-ask.txt' }, base), volume);
    const pending = await waitForApproval(volume, base.missionDir, turn);
    expect(pending.request).toMatchObject({ kind: 'approval', tool: 'mcp__garrison__write_file' });
    await answerApproval(pending, base.missionDir, 'allow');

    const done = await turn;
    expect(done.exitCode, explain(done)).toBe(0);
    expect(await inVolume(volume, 'cat /workspace/codex-ask.txt')).toBe('approved\n');
    expect(done.events.find((event) => event.type === 'tool.result')!.payload).toMatchObject({ isError: false });
    expect(done.events.filter((event) => event.type === 'agent.message').map((event) => event.payload.text)).toEqual(['Done after approval.']);
  });
});
