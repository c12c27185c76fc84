import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WATCHDOG, type RunnerPolicy, type RunnerSpec } from '@garrison/core/runner-constants';
import { startScriptedModelServer, type ScriptedModelServer } from '@garrison/testkit';
import { findAgentAdapter } from '../src/index.ts';
import { answerApproval, bridgeGateway, createVolume, eventTrail, explain, inVolume, launchBase, removeVolume, runTurnInContainer, waitForApproval, type TurnRun } from './container-launch.ts';

const adapter = findAgentAdapter('claude-code')!;
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
    agent: 'claude-code',
    prompt: 'unused: turns carry the prompt',
    startSeq: 1,
    attempt: 1,
    policy,
    watchdog: DEFAULT_WATCHDOG,
    gateway: { anthropicBaseUrl: `http://${gateway}:${model.port}`, openaiBaseUrl: `http://${gateway}:${model.port}/v1`, token: 'test-mission-token' },
  };
}

/** `GARRISON_RECORD_FIXTURES=1` refreshes the parser's fixtures from these real runs. */
function record(name: string, turn: TurnRun): void {
  if (!process.env.GARRISON_RECORD_FIXTURES) return;
  const dir = join(import.meta.dirname, 'fixtures', 'claude-code');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), `${turn.lines.join('\n')}\n`);
}

function messagesOf(requestIndex: number): { role: string; content: unknown }[] {
  return (model.requests[requestIndex]!.body as { messages: { role: string; content: unknown }[] }).messages;
}

function toolNamesOf(requestIndex: number): string[] {
  return (model.requests[requestIndex]!.body as { tools: { name: string }[] }).tools.map((tool) => tool.name);
}

describe('Claude Code adapter in a workspace container', () => {
  it('calls the workspace MCP, reports the session, and a follow-up resumes it', async () => {
    const spec = missionSpec('auto');
    const base = launchBase(spec.missionId, spec.policy);
    model.script(
      { toolCalls: [{ name: 'mcp__garrison__write_file', input: { path: 'claude-hello.txt', content: 'hi from claude\n' } }] },
      { text: 'I wrote claude-hello.txt.' },
    );
    const first = await runTurnInContainer(adapter, adapter.buildLaunch(spec, { number: 1, prompt: 'Write claude-hello.txt' }, base), volume);
    record('mcp-write-turn.jsonl', first);
    expect(first.exitCode, explain(first)).toBe(0);
    console.info(`claude-code: first agent.message ${first.firstMessageMs} ms after spawn`);

    expect(await inVolume(volume, 'cat /workspace/claude-hello.txt')).toBe('hi from claude\n');
    const trail = eventTrail(first.events);
    const call = trail.indexOf('tool.call:mcp__garrison__write_file');
    expect(call, trail.join(' ')).toBeGreaterThanOrEqual(0);
    expect(trail.indexOf('tool.result')).toBeGreaterThan(call);
    expect(trail.lastIndexOf('agent.message')).toBeGreaterThan(trail.indexOf('tool.result'));
    const callEvent = first.events.find((event) => event.type === 'tool.call')!;
    expect(first.events.find((event) => event.type === 'tool.result')!.payload).toMatchObject({ callId: callEvent.payload.callId, isError: false, output: expect.stringContaining('wrote') });
    expect(first.events.filter((event) => event.type === 'agent.message').map((event) => event.payload.text)).toEqual(['I wrote claude-hello.txt.']);
    expect(first.events.find((event) => event.type === 'usage')!.payload).toMatchObject({ inputTokens: expect.any(Number), outputTokens: expect.any(Number), model: 'claude-sonnet-4-5' });
    expect(first.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.lines.join('\n')).not.toContain('test-mission-token');

    const before = model.requests.length;
    model.script({ text: 'Still here, and I remember the file.' });
    const second = await runTurnInContainer(adapter, adapter.buildLaunch(spec, { number: 2, prompt: 'Anything else?', resumeSessionId: first.sessionId }, base), volume);
    record('resume-turn.jsonl', second);
    expect(second.exitCode, explain(second)).toBe(0);
    expect(second.sessionId).toBe(first.sessionId);
    expect(second.events.filter((event) => event.type === 'agent.message').map((event) => event.payload.text)).toEqual(['Still here, and I remember the file.']);
    const resumed = JSON.stringify(messagesOf(model.requests.findIndex((request, index) => index >= before && request.path === '/v1/messages')));
    expect(resumed).toContain('mcp__garrison__write_file');
    expect(resumed).toContain('I wrote claude-hello.txt.');
    expect(resumed).toContain('Anything else?');
  });

  it('read-only: built-in tools that change things are not offered, MCP reads work', async () => {
    const spec = missionSpec('read-only');
    await inVolume(volume, 'echo "readable" > /workspace/ro-source.txt');
    model.script(
      { toolCalls: [{ name: 'Bash', input: { command: 'echo nope > /workspace/ro-bash.txt', description: 'write' } }, { name: 'mcp__garrison__read_file', input: { path: 'ro-source.txt' } }] },
      { text: 'Read it.' },
    );
    const before = model.requests.length;
    const turn = await runTurnInContainer(adapter, adapter.buildLaunch(spec, { number: 1, prompt: 'Look around' }, launchBase(spec.missionId, spec.policy)), volume);
    expect(turn.exitCode, explain(turn)).toBe(0);

    const tools = toolNamesOf(before);
    expect(tools).toEqual(expect.arrayContaining(['Read', 'Grep', 'mcp__garrison__read_file']));
    for (const mutating of ['Bash', 'Write', 'Edit', 'NotebookEdit']) expect(tools).not.toContain(mutating);
    const results = turn.events.filter((event) => event.type === 'tool.result').map((event) => event.payload);
    expect(results[0]).toMatchObject({ isError: true, output: expect.stringContaining('Bash') });
    expect(results[1]).toMatchObject({ isError: false, output: expect.stringContaining('readable') });
    expect(await inVolume(volume, 'ls /workspace')).not.toContain('ro-bash.txt');
  });

  it('ask: a built-in Bash call waits for a person through the MCP approval tool', async () => {
    const spec = missionSpec('ask');
    const base = launchBase(spec.missionId, spec.policy);
    model.script(
      { toolCalls: [{ name: 'Bash', input: { command: 'echo approved > /workspace/ask-bash.txt', description: 'write a file' } }] },
      { text: 'Done after approval.' },
    );
    const turn = runTurnInContainer(adapter, adapter.buildLaunch(spec, { number: 1, prompt: 'Write with bash' }, base), volume);
    const pending = await waitForApproval(volume, base.missionDir, turn);
    expect(pending.request).toMatchObject({ kind: 'approval', tool: 'Bash', summary: expect.stringContaining('echo approved') });
    await answerApproval(pending, base.missionDir, 'allow');

    const done = await turn;
    expect(done.exitCode, explain(done)).toBe(0);
    expect(await inVolume(volume, 'cat /workspace/ask-bash.txt')).toBe('approved\n');
    expect(done.events.find((event) => event.type === 'tool.result')!.payload).toMatchObject({ isError: false });
    expect(done.events.filter((event) => event.type === 'agent.message').map((event) => event.payload.text)).toEqual(['Done after approval.']);
  });
});
